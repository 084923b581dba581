"""A validated, secret-safe route: where one channel sends a unit's reminders.

Route configuration arrives as plain values (as read from ``units.yaml``); each
channel module turns them into a ``Route`` with ``ConfigReader``, which checks
every key and names it in a Chinese error (exit 2) — never echoing a value that
may be secret.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..domain.errors import PlanError
from .secrets import MASK, Secret, SecretStore, redact

# Query parameters that are credentials in robot webhooks (DingTalk access_token,
# WeCom key) or in a signed request (sign): shown as *** even when written literally.
CREDENTIAL_PARAMS = ("access_token", "key", "sign")

_MOBILE = re.compile(r"\+?[0-9][0-9-]{4,19}")
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class RouteError(PlanError):
    """A route in the plan (units.yaml) cannot be used; exit 2."""


@dataclass(frozen=True, repr=False)
class Route:
    """One channel's validated settings; ``secrets`` are every secret value it carries."""

    channel: str
    settings: object
    secrets: tuple[Secret, ...] = ()
    where: str = ""

    def redact(self, text: str) -> str:
        return redact(text, self.secrets)

    def __repr__(self) -> str:
        # The settings hold secrets as Secret (shown ***); redact again in case a
        # secret was also written literally into another value.
        return self.redact(f"Route({self.channel!r}, {self.settings!r})")

    __str__ = __repr__


def reveal(value: str | Secret | None) -> str | None:
    return value.reveal() if isinstance(value, Secret) else value


def is_loopback(host: str | None) -> bool:
    return (host or "").lower().strip("[]") in _LOOPBACK


def display_url(url: str, secrets: Iterable[Secret] = ()) -> str:
    """``url`` with credential query values and known secrets shown as ``***``."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = [(name, MASK if name in CREDENTIAL_PARAMS else value)
             for name, value in parse_qsl(parts.query, keep_blank_values=True)]
    netloc = parts.netloc
    if "@" in netloc:  # user:password@host
        netloc = MASK + "@" + netloc.rsplit("@", 1)[1]
    shown = urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="*"), fragment=""))
    return redact(shown, secrets)


class ConfigReader:
    """Reads one channel's configuration mapping, collecting the secrets it resolves."""

    def __init__(self, config: object, *, channel: str, where: str, store: SecretStore,
                 allowed: Iterable[str]) -> None:
        self.channel = channel
        self.where = where
        self.store = store
        self.secrets: list[Secret] = []
        if not isinstance(config, Mapping):
            raise RouteError(f"{where} 的 {channel} 应该是键值映射（{'、'.join(allowed)}），"
                             f"不是{_kind(config)}")
        self.config = config
        unknown = [str(key) for key in config if key not in set(allowed)]
        if unknown:
            raise RouteError(f"{where} 的 {channel} 里有不认识的键 {unknown[0]}；"
                             f"可用的键：{'、'.join(allowed)}")

    def name(self, key: str) -> str:
        return f"{self.where} 的 {self.channel}.{key}"

    def error(self, key: str, message: str) -> RouteError:
        return RouteError(f"{self.name(key)}：{message}")

    def text(self, key: str, *, required: bool = False, secret: bool = False) -> str | Secret | None:
        """A text value with placeholders resolved.

        It comes back as ``Secret`` when it used a placeholder or ``secret`` is set
        (a value that is a secret even when written literally).
        """
        value = self.config.get(key)
        if value is None or value == "":
            if required:
                raise self.error(key, "必须填写")
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.error(key, f"应该是文字，不是{_kind(value)}")
        resolved, used = self.store.resolve(str(value), where=self.name(key))
        if not resolved.strip():
            raise self.error(key, "不能是空白")
        if used or secret:
            wrapped = Secret(resolved)
            self.secrets.append(wrapped)
            self.secrets.extend(Secret(s) for s in used)
            return wrapped
        return resolved

    def text_list(self, key: str) -> tuple[str, ...]:
        """A list of short texts (numbers are taken as written: YAML reads 138… as an int)."""
        value = self.config.get(key)
        if value is None:
            return ()
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list):
            raise self.error(key, f"应该是列表，不是{_kind(value)}")
        result = []
        for index, entry in enumerate(value, start=1):
            if isinstance(entry, bool) or not isinstance(entry, (str, int)) or str(entry).strip() == "":
                raise self.error(key, f"第 {index} 项应该是非空文字")
            result.append(str(entry).strip())
        return tuple(result)

    def mobiles(self, key: str, *, allow_all: bool = False) -> tuple[str, ...]:
        found = self.text_list(key)
        for index, mobile in enumerate(found, start=1):
            if not (_MOBILE.fullmatch(mobile) or (allow_all and mobile == "@all")):
                raise self.error(key, f"第 {index} 项 {mobile} 不是手机号")
        return found

    def webhook(self, key: str = "webhook") -> Secret:
        """The robot's webhook: an https URL (plain http only to this machine, for tests).

        The whole URL is kept secret: its query carries the robot's token.
        """
        from urllib.parse import urlsplit

        value = self.text(key, required=True, secret=True)
        assert isinstance(value, Secret)
        try:
            parts = urlsplit(value.reveal().strip())
            parts.port  # noqa: B018 - raises ValueError for a bad port
        except ValueError:
            raise self.error(key, "不是有效的网址") from None
        if parts.scheme not in ("https", "http") or not parts.hostname:
            raise self.error(key, "应该是 https:// 开头的完整网址")
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise self.error(key, "必须用 https（明文 http 会泄露机器人的令牌）")
        if any(ch.isspace() for ch in value.reveal().strip()):
            raise self.error(key, "网址里不能有空白")
        webhook = Secret(value.reveal().strip())
        self.secrets.append(webhook)
        return webhook

    def route(self, settings: object) -> Route:
        return Route(self.channel, settings, tuple(self.secrets), self.where)


def _kind(value: object) -> str:
    return {dict: "映射", list: "列表", str: "文字", int: "数字", float: "数字",
            bool: "真假值", type(None): "空值"}.get(type(value), type(value).__name__)

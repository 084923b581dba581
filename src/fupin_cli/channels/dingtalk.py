"""DingTalk (钉钉) custom group robot.

Configuration (``dingtalk:`` of a unit in units.yaml)::

    dingtalk:
      webhook: https://oapi.dingtalk.com/robot/send?access_token=${DING_TOKEN}   # required
      secret: ${DING_SECRET}        # the robot's 加签 secret (SEC…); always treated as secret
      keyword: 督办                  # the robot's 自定义关键词, if it has one
      at_mobiles: [13800001111]     # members to @ (mobile numbers)

Each message is ``{"msgtype": "markdown", "markdown": {"title", "text"},
"at": {"atMobiles": [...], "isAtAll": false}}``, POSTed to the webhook; with a
secret the URL also carries ``timestamp`` (ms) and ``sign`` =
urlencode(base64(HMAC-SHA256(key=secret, f"{timestamp}\\n{secret}"))).  A
keyword missing from the text is added to its title line; ``@mobile`` for each
of ``at_mobiles`` ends the (first) message.  The answer's ``errcode`` must be 0.

Documented limits (DingTalk 自定义机器人接入, open.dingtalk.com/document/group/
custom-robot-access, as quoted in zhuoqun.info/article/182 and
blog.csdn.net/qq_23564667/article/details/119456301; signing as quoted in
apifox.com/apidoc/docs-site/467052/doc-3550006):

- each robot may send at most 20 messages a minute; past that it is throttled
  for 10 minutes (errcode 130101 "send too fast, exceed 20 times per minute",
  seen in github.com/ccfos/nightingale/issues/369) — ``Transport`` paces sends;
- the timestamp must be within one hour of DingTalk's clock;
- a request body is at most 20000 bytes (errcode 460101 "message too long,
  exceed 20000 bytes", github.com/feiyu563/PrometheusAlert/issues/318 and
  timonwong/prometheus-webhook-dingtalk/issues/30) — longer notices are split.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .compose import markdown_pieces
from .notice import Notice
from .route import ConfigReader, Route, display_url, reveal
from .secrets import Secret, SecretStore
from .transport import (
    Delivery,
    Transport,
    Verdict,
    errcode_answer,
    robot_preview,
    send_messages,
)

NAME = "dingtalk"
LABEL = "钉钉"
KEYS = ("webhook", "secret", "keyword", "at_mobiles")
BODY_LIMIT = 20000  # bytes of the JSON request body

# errcode -> Chinese explanation.  130101: the robot is over 20 messages a minute.
TRANSIENT_CODES = {130101: "发送太频繁，机器人被限流"}
KNOWN_CODES = {460101: "消息太长"}


@dataclass(frozen=True)
class DingTalkSettings:
    webhook: Secret
    secret: Secret | None = None
    keyword: str | None = None
    at_mobiles: tuple[str, ...] = ()


def route(config: object, store: SecretStore, *, where: str) -> Route:
    """Validate the ``dingtalk:`` mapping of ``where`` (e.g. ``units.yaml 市民政局``)."""
    reader = ConfigReader(config, channel=NAME, where=where, store=store, allowed=KEYS)
    webhook = reader.webhook()
    secret = reader.text("secret", secret=True)
    keyword = reader.text("keyword")
    if isinstance(keyword, Secret):
        raise reader.error("keyword", "关键词会出现在每条消息里，不能写成密钥占位符")
    settings = DingTalkSettings(webhook, secret, keyword, reader.mobiles("at_mobiles"))
    return reader.route(settings)


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64 of HMAC-SHA256 keyed by the secret (not yet URL-encoded)."""
    import base64
    import hashlib
    import hmac

    string_to_sign = f"{timestamp_ms}\n{secret}".encode("utf-8")
    digest = hmac.new(secret.encode("utf-8"), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def signed_url(webhook: str, secret: str | None, timestamp_ms: int) -> str:
    """The webhook with ``timestamp`` and URL-encoded ``sign`` appended (unchanged without a secret)."""
    if not secret:
        return webhook
    from urllib.parse import quote_plus

    joiner = "&" if "?" in webhook else "?"
    return f"{webhook}{joiner}timestamp={timestamp_ms}&sign={quote_plus(sign(secret, timestamp_ms))}"


def _settings(route: Route) -> DingTalkSettings:
    if route.channel != NAME or not isinstance(route.settings, DingTalkSettings):
        raise ValueError(f"not a {NAME} route: {route!r}")
    return route.settings


def _payload(title: str, text: str, mobiles: tuple[str, ...]) -> dict:
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text},
            "at": {"atMobiles": list(mobiles), "isAtAll": False}}


def _body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def payloads(notice: Notice, settings: DingTalkSettings) -> list[dict]:
    """The JSON messages for ``notice``: one, or several when it is over the size limit."""
    mention = " ".join(f"@{mobile}" for mobile in settings.at_mobiles) or None
    base_title = f"{notice.title}：{notice.unit}"
    widest = max(len(notice.items), 1)
    probe_title = f"{base_title}（{widest}/{widest}）"

    def fits(text: str, first: bool) -> bool:
        mobiles = settings.at_mobiles if first else ()
        return len(_body(_payload(probe_title, text, mobiles))) <= BODY_LIMIT

    pieces = markdown_pieces(notice, fits, keyword=settings.keyword, mention=mention)
    total = len(pieces)
    return [_payload(base_title + (f"（{index}/{total}）" if total > 1 else ""), text,
                     settings.at_mobiles if index == 1 else ())
            for index, text in enumerate(pieces, start=1)]


# 310000 covers every security setting the request failed; errmsg says which.
SECURITY_HINTS = (
    ("timestamp", "时间戳无效（本机时钟与钉钉相差超过 1 小时？）"),
    ("sign", "签名不符（检查 secret 是否与机器人的加签密钥一致）"),
    ("keyword", "消息里没有机器人要求的关键词（检查 keyword）"),
    ("whitelist", "本机 IP 不在机器人的 IP 白名单里"),
)


def judge(data: bytes) -> Verdict:
    verdict = errcode_answer(data, "钉钉", TRANSIENT_CODES, KNOWN_CODES)
    marker = "errcode 310000："
    if verdict.ok or marker not in verdict.reason:
        return verdict
    errmsg = verdict.reason.split(marker, 1)[1].lower()
    hint = next((words for key, words in SECURITY_HINTS if key in errmsg), "未通过机器人的安全设置")
    return Verdict(False, False, f"钉钉拒收：{hint}，{marker}{verdict.reason.split(marker, 1)[1]}")


def send(notice: Notice, route: Route, transport: Transport) -> Delivery:
    """Send ``notice`` through the robot; stops at the first message not accepted."""
    settings = _settings(route)
    webhook = settings.webhook.reveal()
    secret = reveal(settings.secret)

    def url() -> str:
        # A fresh timestamp for every attempt: DingTalk rejects one more than an hour off.
        return signed_url(webhook, secret, int(transport.clock.wall() * 1000))

    bodies = [_body(payload) for payload in payloads(notice, settings)]
    return send_messages(notice.unit, NAME, bodies, transport, url=url, judge=judge,
                         label=f"{LABEL}（{notice.unit}）", pace_key=webhook, scrub=route.redact)


def preview(notice: Notice, route: Route) -> str:
    """Exactly what ``send`` would POST, secrets shown as ``***``."""
    settings = _settings(route)
    url = display_url(settings.webhook.reveal(), route.secrets)
    if settings.secret is not None:
        url += ("&" if "?" in url else "?") + "timestamp=<发送时的毫秒时间戳>&sign=***"
    return route.redact(robot_preview(LABEL, notice.unit, url, payloads(notice, settings)))

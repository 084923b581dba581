"""Where reminders (催办) go: DingTalk and WeCom group robots, and mail.

The delivery layer only: it takes a ``Notice`` (what to say to one unit) and a
``Route`` (where, validated, secrets wrapped) and either sends it, giving a
``Delivery``, or shows exactly what it would send (``preview``, for
``--dry-run``).  It depends on nothing of fupin but ``fupin_cli.domain.errors``.

    store = SecretStore.from_environ(os.environ)
    channel = CHANNELS["dingtalk"]
    route = channel.route(unit_config["dingtalk"], store, where="units.yaml 市民政局")
    print(channel.preview(notice, route))
    delivery = channel.send(notice, route, Transport())    # one Transport per run: it paces

``email`` routes also need the mail server settings (``route(..., server=…)``)
and take the unit's notice as HTML (``send(..., html=…)``, ``preview(..., html=…)``).
Heavy modules (http.client, smtplib, ssl, email) are imported only when used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import dingtalk, mail, wecom
from .notice import Notice, NoticeItem
from .route import Route, RouteError
from .secrets import Secret, SecretError, SecretStore, redact
from .transport import Clock, Delivery, SystemClock, Transport


@dataclass(frozen=True)
class Channel:
    """One way of reaching a unit: how to read its route, send to it, and preview."""

    name: str
    label: str
    route: Callable[..., Route]
    send: Callable[..., Delivery]
    preview: Callable[..., str]


CHANNELS: dict[str, Channel] = {
    module.NAME: Channel(module.NAME, module.LABEL, module.route, module.send, module.preview)
    for module in (dingtalk, wecom, mail)
}

__all__ = ["CHANNELS", "Channel", "Clock", "Delivery", "Notice", "NoticeItem", "Route", "RouteError",
           "Secret", "SecretError", "SecretStore", "SystemClock", "Transport", "redact"]

"""WeCom (企业微信) group robot.

Configuration (``wecom:`` of a unit in units.yaml)::

    wecom:
      webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=${WECOM_KEY}   # required
      mentioned_list: [zhangsan]               # WeCom userids to @ in the message
      mentioned_mobile_list: [13800001111]     # mobiles to @, or "@all"

Messages are ``{"msgtype": "markdown", "markdown": {"content": ...}}``; the
answer's ``errcode`` must be 0.

Mentions, as WeCom documents them (群机器人配置说明, work.weixin.qq.com/api/doc/
90000/90136/91770, also developer.work.weixin.qq.com/document/path/91770): text
and markdown content may @ a member with ``<@userid>``, but only the *text*
message has ``mentioned_list``/``mentioned_mobile_list``; markdown has nothing
but ``content`` and cannot @ everyone.  So ``mentioned_list`` becomes
``<@userid>`` in the first markdown message, and ``mentioned_mobile_list`` — a
mobile cannot be written into markdown — is sent as one short text message
after the markdown, ``{"msgtype": "text", "text": {"content": …,
"mentioned_mobile_list": [...]}}``, pointing at the reminder above it.  It costs
one more message of the robot's 20 a minute, and gives the @ notification that
is the point of a 催办.

Documented limits (same page; quoted in blog.csdn.net/LIFENG0402/article/details/
111051239 and skills.sh/ajaxhe/wecom-bot-skill citing developer.work.weixin.qq.com/
document/path/99398):

- markdown ``content`` at most 4096 bytes of UTF-8 (errcode 40058
  "markdown.content exceed max length 4096", github.com/dromara/domain-admin/
  issues/82) — longer notices are split into ``（1/3）``… pieces between items;
- text ``content`` at most 2048 bytes;
- each robot at most 20 messages a minute (errcode 45009 "api freq out of
  limit" when exceeded) — ``Transport`` paces sends.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .compose import markdown_pieces
from .notice import Notice
from .route import ConfigReader, Route, display_url
from .secrets import Secret, SecretStore
from .transport import (
    Delivery,
    Transport,
    Verdict,
    errcode_answer,
    robot_preview,
    send_messages,
)

NAME = "wecom"
LABEL = "企业微信"
KEYS = ("webhook", "mentioned_list", "mentioned_mobile_list")
MARKDOWN_LIMIT = 4096  # bytes of UTF-8 in markdown.content
TEXT_LIMIT = 2048      # bytes of UTF-8 in text.content

TRANSIENT_CODES = {45009: "发送太频繁，机器人被限流"}
KNOWN_CODES = {40058: "消息太长"}


@dataclass(frozen=True)
class WeComSettings:
    webhook: Secret
    mentioned_list: tuple[str, ...] = ()
    mentioned_mobile_list: tuple[str, ...] = ()


def route(config: object, store: SecretStore, *, where: str) -> Route:
    """Validate the ``wecom:`` mapping of ``where`` (e.g. ``units.yaml 市民政局``)."""
    reader = ConfigReader(config, channel=NAME, where=where, store=store, allowed=KEYS)
    webhook = reader.webhook()
    userids = reader.text_list("mentioned_list")
    for index, userid in enumerate(userids, start=1):
        if userid == "@all":
            raise reader.error("mentioned_list", "markdown 消息不能 @所有人；"
                               "要提醒所有人，请在 mentioned_mobile_list 里写 \"@all\"")
        if any(ch in userid for ch in "<>") or any(ch.isspace() for ch in userid):
            raise reader.error("mentioned_list", f"第 {index} 项 {userid} 不是企业微信的 userid")
    mobiles = reader.mobiles("mentioned_mobile_list", allow_all=True)
    return reader.route(WeComSettings(webhook, userids, mobiles))


def _settings(route: Route) -> WeComSettings:
    if route.channel != NAME or not isinstance(route.settings, WeComSettings):
        raise ValueError(f"not a {NAME} route: {route!r}")
    return route.settings


def _body(payload: dict) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def fits(text: str, first: bool = True) -> bool:
    return len(text.encode("utf-8")) <= MARKDOWN_LIMIT


def payloads(notice: Notice, settings: WeComSettings) -> list[dict]:
    """The markdown message(s) for ``notice`` and, with mobiles to @, the text message after them."""
    mention = " ".join(f"<@{userid}>" for userid in settings.mentioned_list) or None
    messages = [{"msgtype": "markdown", "markdown": {"content": text}}
                for text in markdown_pieces(notice, fits, mention=mention)]
    if settings.mentioned_mobile_list:
        content = f"请查看上面的{notice.title}：{notice.unit}，共 {len(notice.items)} 项"
        if len(messages) > 1:
            content += f"（分 {len(messages)} 条）"
        content = _cut(content, TEXT_LIMIT)
        messages.append({"msgtype": "text", "text": {
            "content": content, "mentioned_mobile_list": list(settings.mentioned_mobile_list)}})
    return messages


def _cut(text: str, limit: int) -> str:
    while len(text.encode("utf-8")) > limit:
        text = text[:-2] + "…"
    return text


def judge(data: bytes) -> Verdict:
    return errcode_answer(data, "企业微信", TRANSIENT_CODES, KNOWN_CODES)


def send(notice: Notice, route: Route, transport: Transport) -> Delivery:
    """Send ``notice`` through the robot; stops at the first message not accepted."""
    settings = _settings(route)
    webhook = settings.webhook.reveal()
    bodies = [_body(payload) for payload in payloads(notice, settings)]
    return send_messages(notice.unit, NAME, bodies, transport, url=lambda: webhook, judge=judge,
                         label=f"{LABEL}（{notice.unit}）", pace_key=webhook, scrub=route.redact)


def preview(notice: Notice, route: Route) -> str:
    """Exactly what ``send`` would POST, secrets shown as ``***``."""
    settings = _settings(route)
    url = display_url(settings.webhook.reveal(), route.secrets)
    return route.redact(robot_preview(LABEL, notice.unit, url, payloads(notice, settings)))

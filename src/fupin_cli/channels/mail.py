"""Mail: one message per notice to all of a unit's addresses.

Configuration: a unit's ``email:`` is a list of addresses (one address alone
may be written as text)::

    email: [duban@minzheng.example.gov.cn, office@minzheng.example.gov.cn]

and the mail server, configured once::

    host: smtp.example.gov.cn          # required
    security: ssl                      # required: ssl (port 465), starttls (587) or none (25)
    port: 465                          # optional; the default follows security
    sender: 市督查室 <duban@example.gov.cn>   # required: From, and the Message-ID domain
    user: duban@example.gov.cn         # optional; with password, log in
    password: ${SMTP_PASSWORD}         # always treated as secret
    cafile: /etc/ssl/intranet-ca.pem   # optional: trust this CA (an intranet server)

``none`` sends in the clear; fupin refuses to log in that way to any host but
this machine.  The message has ``Subject`` (UTF-8 encoded), ``From``, ``To``,
``Date`` and ``Message-ID``, a plain-text body and, when the caller passes the
unit's notice as HTML, that as the alternative part.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .compose import plain_text
from .notice import Notice
from .route import ConfigReader, Route, RouteError, is_loopback, reveal
from .secrets import Secret, SecretStore
from .transport import (
    OK,
    Delivery,
    Transport,
    Verdict,
    network_failure,
    permanent,
    transient,
)

NAME = "email"
LABEL = "邮件"
SERVER_KEYS = ("host", "port", "security", "sender", "user", "password", "cafile")
SECURITY = {"ssl": 465, "starttls": 587, "none": 25}
SECURITY_WORDS = {"ssl": "SSL", "starttls": "STARTTLS", "none": "不加密"}

_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")


@dataclass(frozen=True)
class MailServer:
    host: str
    port: int
    security: str
    sender_name: str
    sender_address: str
    user: str | Secret | None = None
    password: Secret | None = None
    cafile: str | None = None


@dataclass(frozen=True)
class MailSettings:
    to: tuple[str, ...]
    server: MailServer


def route(config: object, store: SecretStore, *, where: str, server: object,
          server_where: str = "units.yaml") -> Route:
    """Validate a unit's ``email`` addresses (at ``where``) and the mail ``server`` settings."""
    addresses = [config] if isinstance(config, str) else config
    if not isinstance(addresses, list) or not addresses:
        raise RouteError(f"{where} 的 email 应该是邮件地址的列表")
    to: list[str] = []
    for index, address in enumerate(addresses, start=1):
        if not isinstance(address, str) or not _ADDRESS.fullmatch(address.strip()):
            raise RouteError(f"{where} 的 email 第 {index} 项 {address!s} 不是邮件地址")
        if address.strip() not in to:
            to.append(address.strip())
    reader = ConfigReader(server, channel="mail", where=server_where, store=store, allowed=SERVER_KEYS)
    mail_server = _server(reader)
    return Route(NAME, MailSettings(tuple(to), mail_server), tuple(reader.secrets), where)


def _server(reader: ConfigReader) -> MailServer:
    from email.utils import parseaddr

    host = reader.text("host", required=True)
    if isinstance(host, Secret):
        host = host.reveal()
    security = reader.config.get("security")
    if security not in SECURITY:
        raise reader.error("security", "必须填写 ssl、starttls 或 none")
    port = reader.config.get("port", SECURITY[security])
    if isinstance(port, str) and port.isdigit():
        port = int(port)
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise reader.error("port", "应该是 1 到 65535 之间的端口号")
    sender = reader.text("sender", required=True)
    name, address = parseaddr(reveal(sender) or "")
    if not _ADDRESS.fullmatch(address) or any(ch in name for ch in "\r\n"):
        raise reader.error("sender", "应该是邮件地址，可带名字，如 市督查室 <duban@example.gov.cn>")
    user = reader.text("user")
    password = reader.text("password", secret=True)
    if (user is None) != (password is None):
        raise reader.error("password" if user else "user", "user 和 password 要么都填，要么都不填")
    if password is not None and security == "none" and not is_loopback(host):
        raise reader.error("security", "不加密的连接不能发送登录密码；请用 ssl 或 starttls")
    cafile = reveal(reader.text("cafile"))
    if cafile is not None:
        import ssl

        try:
            ssl.create_default_context(cafile=cafile)
        except (OSError, ssl.SSLError):
            raise reader.error("cafile", f"{cafile} 读不了或不是 PEM 证书文件") from None
    return MailServer(host, port, security, name, address, user,
                      password if isinstance(password, Secret) else None,
                      cafile)


def _settings(route: Route) -> MailSettings:
    if route.channel != NAME or not isinstance(route.settings, MailSettings):
        raise ValueError(f"not an {NAME} route: {route!r}")
    return route.settings


def subject(notice: Notice) -> str:
    return f"{notice.title}：{notice.unit}"


def build_message(notice: Notice, settings: MailSettings, html: str | None, *, now: float):
    """The ``EmailMessage`` for ``notice``; ``now`` (seconds since the epoch) dates it."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.utils import formatdate, make_msgid

    server = settings.server
    domain = server.sender_address.rsplit("@", 1)[1]
    message = EmailMessage()
    message["Subject"] = subject(notice)
    message["From"] = Address(display_name=server.sender_name, addr_spec=server.sender_address)
    message["To"] = ", ".join(settings.to)
    message["Date"] = formatdate(now, localtime=True)
    message["Message-ID"] = make_msgid(domain=domain)
    # base64 keeps the message 7-bit clean for any relay, and is compact for Chinese.
    message.set_content(plain_text(notice), charset="utf-8", cte="base64")
    if html is not None:
        message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    return message


def deliver_once(server: MailServer, message, timeout: float) -> Verdict:
    """One SMTP session: connect, secure, log in, send.  4xx and network trouble are transient."""
    import smtplib
    import ssl

    host = server.host
    try:
        context = ssl.create_default_context(cafile=server.cafile) if server.security != "none" else None
        if server.security == "ssl":
            smtp = smtplib.SMTP_SSL(host, server.port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, server.port, timeout=timeout)
        with smtp:
            if server.security == "starttls":
                smtp.starttls(context=context)
            if server.password is not None:
                smtp.login(reveal(server.user) or "", server.password.reveal())
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError:
        return permanent(f"邮件服务器 {host} 拒绝登录（检查 user 和 password）")
    except smtplib.SMTPNotSupportedError as exc:
        what = "STARTTLS" if "STARTTLS" in str(exc) else "登录（AUTH）"
        return permanent(f"邮件服务器 {host} 不支持 {what}")
    except smtplib.SMTPRecipientsRefused as exc:
        return permanent(f"邮件服务器 {host} 拒收全部收件人：{'、'.join(exc.recipients)}")
    except smtplib.SMTPResponseException as exc:
        said = _said(exc.smtp_error)
        if 400 <= exc.smtp_code < 500:
            return transient(f"邮件服务器 {host} 暂时拒绝（{exc.smtp_code} {said}）")
        return permanent(f"邮件服务器 {host} 拒绝（{exc.smtp_code} {said}）")
    except smtplib.SMTPServerDisconnected:
        return transient(f"邮件服务器 {host} 断开了连接")
    except (smtplib.SMTPException, OSError) as exc:
        return network_failure(exc, f"邮件服务器 {host}", timeout, cert_hint="（内网证书请设置 cafile）")
    if refused:
        # Some got it: retrying would send them a second copy.
        return permanent(f"邮件服务器 {host} 拒收部分收件人：{'、'.join(sorted(refused))}")
    return OK


def _said(error: bytes | str) -> str:
    text = error.decode("utf-8", "replace") if isinstance(error, bytes) else str(error)
    return " ".join(text.split())[:200]


def send(notice: Notice, route: Route, transport: Transport, *, html: str | None = None) -> Delivery:
    """Send one mail for ``notice`` to all the unit's addresses."""
    settings = _settings(route)
    message = build_message(notice, settings, html, now=transport.clock.wall())
    outcome = transport.run(lambda timeout: deliver_once(settings.server, message, timeout),
                            label=f"{LABEL}（{notice.unit}）", scrub=route.redact)
    return Delivery(notice.unit, NAME, outcome.ok, outcome.attempts, 1, int(outcome.ok),
                    "" if outcome.ok else outcome.reason)


def preview(notice: Notice, route: Route, *, html: str | None = None) -> str:
    """The mail as it would be sent (Date and Message-ID are made when sending)."""
    settings = _settings(route)
    server = settings.server
    login = (f"，以 {reveal(server.user)} 登录（密码 ***）" if server.password is not None else "")
    sender = f"{server.sender_name} <{server.sender_address}>" if server.sender_name else server.sender_address
    lines = [
        f"{LABEL} · {notice.unit} · 1 封",
        f"服务器: {server.host}:{server.port}（{SECURITY_WORDS[server.security]}）{login}",
        f"From: {sender}",
        f"To: {', '.join(settings.to)}",
        f"Subject: {subject(notice)}",
        "Date: （发送时填写）",
        f"Message-ID: <…@{server.sender_address.rsplit('@', 1)[1]}>（发送时生成）",
        "",
        plain_text(notice).rstrip("\n"),
    ]
    if html is not None:
        lines += ["", f"[HTML 正文 {len(html.encode('utf-8'))} 字节]"]
    return route.redact("\n".join(lines)) + "\n"


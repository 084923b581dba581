"""Loopback stand-ins for the services reminders go to: robots over HTTP, and SMTP.

``RobotServer`` is a real HTTP server on 127.0.0.1 that behaves like DingTalk's
custom robot (``/robot/send?access_token=…``) and WeCom's group robot
(``/cgi-bin/webhook/send?key=…``).  It checks what those services check —
method, path, the robot's token, DingTalk's ``timestamp``/``sign`` (recomputed
here, independently of fupin, and checked for freshness), the keyword, the
JSON shape, the size limits, the mention fields, 20 messages a minute — and
answers with their error JSON when a check fails.  Every request is recorded.
A robot can be scripted to answer, request by request: ``ok()``,
``error(code, msg)``, ``status(503)``, ``hang()`` (no answer until the test
ends) or ``close()`` (drop the connection).

``SmtpServer`` wraps an aiosmtpd ``Controller`` on 127.0.0.1 and keeps every
message it receives, parsed back with ``email``.
"""

from __future__ import annotations

import base64
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

DINGTALK_PATH = "/robot/send"
WECOM_PATH = "/cgi-bin/webhook/send"
HOUR_MS = 3600 * 1000


@dataclass(frozen=True)
class Answer:
    kind: str                 # ok | error | status | hang | close
    code: int = 0
    message: str = ""


def ok() -> Answer:
    return Answer("ok")


def error(code: int, message: str) -> Answer:
    return Answer("error", code, message)


def status(code: int, retry_after: int | None = None) -> Answer:
    """An HTTP error status; ``retry_after`` seconds go in a Retry-After header."""
    return Answer("status", code, "" if retry_after is None else str(retry_after))


def hang() -> Answer:
    return Answer("hang")


def close() -> Answer:
    return Answer("close")


@dataclass
class Robot:
    service: str              # dingtalk | wecom
    token: str
    secret: str | None = None
    keyword: str | None = None
    script: deque = field(default_factory=deque)
    accepted_at: list = field(default_factory=list)


@dataclass
class Request:
    """One request as the server saw it."""

    method: str
    path: str
    query: dict
    raw: bytes
    body: object
    at: float                 # the server's clock (seconds) when it arrived
    answer: str = ""          # what the server did: "ok", "errcode N", "HTTP 503", "hang", "close"
    problems: list = field(default_factory=list)


class RobotServer:
    def __init__(self, wall=time.time) -> None:
        self.wall = wall      # the clock used for timestamp freshness and the rate limit
        self.robots: dict[tuple[str, str], Robot] = {}
        self.requests: list[Request] = []
        self.release = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format, *args):  # keep test output clean
                pass

            def do_GET(self):
                server._handle(self, "GET")

            def do_POST(self):
                server._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02},
                                       daemon=True)

    # --- set-up -----------------------------------------------------------------

    def dingtalk(self, token: str, *, secret: str | None = None, keyword: str | None = None) -> str:
        """Register a DingTalk robot; its webhook URL."""
        self.robots[("dingtalk", token)] = Robot("dingtalk", token, secret, keyword)
        return f"http://127.0.0.1:{self.port}{DINGTALK_PATH}?access_token={token}"

    def wecom(self, key: str) -> str:
        """Register a WeCom robot; its webhook URL."""
        self.robots[("wecom", key)] = Robot("wecom", key)
        return f"http://127.0.0.1:{self.port}{WECOM_PATH}?key={key}"

    def script(self, service: str, token: str, *answers: Answer) -> None:
        """The next requests to this robot get these answers, in order; then normal answers."""
        self.robots[(service, token)].script.extend(answers)

    def to(self, service: str, token: str) -> list[Request]:
        key = "access_token" if service == "dingtalk" else "key"
        return [r for r in self.requests if r.query.get(key) == token]

    # --- serving ----------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        parts = urlsplit(handler.path)
        query = {name: values[-1] for name, values in parse_qs(parts.query, keep_blank_values=True).items()}
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        request = Request(method, parts.path, query, raw, None, self.wall())
        with self.lock:
            self.requests.append(request)
            service = {DINGTALK_PATH: "dingtalk", WECOM_PATH: "wecom"}.get(parts.path)
            token = query.get("access_token" if service == "dingtalk" else "key", "")
            robot = self.robots.get((service, token)) if service else None
            scripted = robot.script.popleft() if robot and robot.script else None
        if scripted is not None and scripted.kind in ("hang", "close"):
            request.answer = scripted.kind
            if scripted.kind == "hang":
                self.release.wait(30)
            handler.close_connection = True
            return  # no answer at all: the client sees a timeout, or a closed connection
        if scripted is not None and scripted.kind == "status":
            request.answer = f"HTTP {scripted.code}"
            headers = {"Retry-After": scripted.message} if scripted.message else {}
            return self._reply(handler, scripted.code, {"error": "scripted"}, headers)
        if method != "POST":
            request.answer = "HTTP 405"
            return self._reply(handler, 405, {"error": "method not allowed"})
        if service is None:
            request.answer = "HTTP 404"
            return self._reply(handler, 404, {"error": "not found"})
        if robot is None:
            code, message = ((300001, "token is not exist") if service == "dingtalk"
                             else (93000, "invalid webhook url"))
            return self._errcode(handler, request, code, message)
        if handler.headers.get_content_type() != "application/json":
            request.problems.append(f"Content-Type {handler.headers.get('Content-Type')}")
        try:
            request.body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            request.problems.append("body is not UTF-8 JSON")
        failure = (self._check_dingtalk if service == "dingtalk" else self._check_wecom)(robot, request)
        if failure is None and request.problems:
            failure = (40035, "invalid parameter: " + "; ".join(request.problems))
        if failure is None and scripted is not None and scripted.kind == "error":
            failure = (scripted.code, scripted.message)
        if failure is None:
            failure = self._rate_limit(robot, request)
        if failure is not None:
            return self._errcode(handler, request, *failure)
        request.answer = "ok"
        self._reply(handler, 200, {"errcode": 0, "errmsg": "ok"})

    def _rate_limit(self, robot: Robot, request: Request):
        # 20 a minute per robot, over any 60 s window, as both services document.
        recent = [t for t in robot.accepted_at if t > request.at - 60]
        if len(recent) >= 20:
            return ((130101, "send too fast, exceed 20 times per minute") if robot.service == "dingtalk"
                    else (45009, "api freq out of limit"))
        robot.accepted_at.append(request.at)
        return None

    def _check_dingtalk(self, robot: Robot, request: Request):
        if robot.secret is not None:
            timestamp, sign = request.query.get("timestamp"), request.query.get("sign")
            if not timestamp or not sign or not timestamp.isdigit():
                return 310000, "sign not match, timestamp or sign missing"
            if abs(int(timestamp) - self.wall() * 1000) > HOUR_MS:
                return 310000, "invalid timestamp"
            # Independent of fupin: DingTalk's published recipe.
            expected = base64.b64encode(hmac.new(
                robot.secret.encode(), f"{timestamp}\n{robot.secret}".encode(), hashlib.sha256).digest()).decode()
            if not hmac.compare_digest(sign, expected):
                return 310000, "sign not match"
        if len(request.raw) > 20000:
            return 460101, "message too long, exceed 20000 bytes"
        body = request.body
        if not isinstance(body, dict):
            return None
        if body.get("msgtype") != "markdown":
            request.problems.append(f"msgtype {body.get('msgtype')!r}")
            return None
        markdown, at = body.get("markdown"), body.get("at")
        if not isinstance(markdown, dict) or set(markdown) != {"title", "text"} \
                or not all(isinstance(v, str) and v for v in markdown.values()):
            request.problems.append("markdown must be {title, text}")
            return None
        if not isinstance(at, dict) or at.get("isAtAll") is not False \
                or not isinstance(at.get("atMobiles"), list):
            request.problems.append("at must be {atMobiles: [...], isAtAll: false}")
            return None
        for mobile in at["atMobiles"]:
            if not isinstance(mobile, str) or f"@{mobile}" not in markdown["text"]:
                request.problems.append(f"atMobiles {mobile!r} not @-mentioned in text")
        if robot.keyword and robot.keyword not in markdown["text"]:
            return 310000, "keywords not in content"
        return None

    def _check_wecom(self, robot: Robot, request: Request):
        body = request.body
        if not isinstance(body, dict):
            return None
        kind = body.get("msgtype")
        if kind == "markdown":
            markdown = body.get("markdown")
            if not isinstance(markdown, dict) or set(markdown) != {"content"} \
                    or not isinstance(markdown["content"], str):
                request.problems.append("markdown must be exactly {content}")
                return None
            if len(markdown["content"].encode("utf-8")) > 4096:
                return 40058, "markdown.content exceed max length 4096"
        elif kind == "text":
            text = body.get("text")
            if not isinstance(text, dict) or not isinstance(text.get("content"), str) \
                    or not set(text) <= {"content", "mentioned_list", "mentioned_mobile_list"}:
                request.problems.append("text must be {content, mentioned_list?, mentioned_mobile_list?}")
                return None
            if len(text["content"].encode("utf-8")) > 2048:
                return 40058, "text.content exceed max length 2048"
            for name in ("mentioned_list", "mentioned_mobile_list"):
                if name in text and not all(isinstance(v, str) for v in text[name]):
                    request.problems.append(f"{name} must be a list of strings")
        else:
            request.problems.append(f"msgtype {kind!r}")
        return None

    def _errcode(self, handler, request: Request, code: int, message: str) -> None:
        request.answer = f"errcode {code}"
        self._reply(handler, 200, {"errcode": code, "errmsg": message})

    @staticmethod
    def _reply(handler: BaseHTTPRequestHandler, code: int, answer: dict, headers: dict | None = None) -> None:
        data = json.dumps(answer).encode()
        handler.send_response(code)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)

    def start(self) -> RobotServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def robots():
    """A started ``RobotServer``; stopped (hanging handlers released) after the test."""
    server = RobotServer().start()
    yield server
    server.stop()


# --- SMTP --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """An aiosmtpd server on 127.0.0.1 keeping what it receives.

    ``logins`` are the (user, password) pairs it was given; ``accept_login`` decides.
    """

    def __init__(self, *, users: dict[str, str] | None = None, **controller_args) -> None:
        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.envelopes: list = []
        self.logins: list[tuple[str, str]] = []
        self.users = users or {}
        outer = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                outer.envelopes.append(envelope)
                return "250 Message accepted for delivery"

        def authenticator(server, session, envelope, mechanism, auth_data):
            user = auth_data.login.decode()
            password = auth_data.password.decode()
            outer.logins.append((user, password))
            return AuthResult(success=outer.users.get(user) == password, handled=False)

        self.port = free_port()
        if self.users:
            controller_args.setdefault("authenticator", authenticator)
            controller_args.setdefault("auth_require_tls", False)
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **controller_args)

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [email.message_from_bytes(e.original_content, policy=email.policy.default)
                for e in self.envelopes]

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()


@pytest.fixture
def smtp():
    """A started plain-text ``SmtpServer`` accepting user ``duban`` with password ``s3cret-PW!``."""
    server = SmtpServer(users={"duban": "s3cret-PW!"}).start()
    yield server
    server.stop()

"""Sending with bounded patience: timeouts, retries with backoff, and pacing per robot.

``Transport`` holds the settings of one run and the pacing state shared by all
sends of that run:

- ``timeout`` (default 10 s): the longest wait for a connection or for the
  answer of one request.
- ``attempts`` (default 3): how many times one message is tried.  Only
  transient failures are retried — a timeout, a refused, reset or closed
  connection, HTTP 5xx or 429, a robot's rate-limit error code, an SMTP 4xx
  answer — after ``backoff`` seconds, doubling each time up to ``max_backoff``.
- ``budget`` (default 30 s): the most time one message may take, retries
  included; no retry starts that would end after it.  Waiting for a pacing slot
  is not counted: it is deliberate and bounded by the window.
- Pacing: both robot services allow a robot 20 messages a minute (DingTalk
  throttles an offending robot for 10 minutes, see ``dingtalk``), so at most
  ``pace_limit`` requests go to one webhook in any ``pace_window`` seconds.  A
  request occupies its slot from the moment its answer arrived, so the server,
  which saw it earlier, never counts more than the limit in a window.

The clock is injected (``Clock``): tests use a fake one and assert exact waits.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

log = logging.getLogger("fupin.channels")

MAX_ANSWER_BYTES = 1 << 20


class Clock(Protocol):
    def monotonic(self) -> float: ...
    def wall(self) -> float: ...
    def sleep(self, seconds: float) -> None: ...


class SystemClock:
    """The real clock: ``time.monotonic``, ``time.time`` and ``time.sleep``."""

    def monotonic(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


@dataclass(frozen=True)
class Verdict:
    """How one attempt went.  ``reason`` is Chinese and free of secrets."""

    ok: bool
    transient: bool = False
    reason: str = ""
    retry_after: float | None = None


OK = Verdict(True)


def transient(reason: str, retry_after: float | None = None) -> Verdict:
    return Verdict(False, True, reason, retry_after)


def permanent(reason: str) -> Verdict:
    return Verdict(False, False, reason)


@dataclass(frozen=True)
class Outcome:
    """How one message went after all its attempts."""

    ok: bool
    attempts: int
    reason: str = ""


@dataclass(frozen=True)
class Delivery:
    """Whether one notice reached one channel.

    ``messages`` is how many messages the notice needed there (a long one is
    split), ``sent`` how many were accepted (sending stops at the first that is
    not), ``attempts`` the requests made in all.  ``reason`` says in Chinese why
    it was not reached ("" when it was); it never holds a secret.
    """

    unit: str
    channel: str
    reached: bool
    attempts: int
    messages: int
    sent: int
    reason: str = ""

    def __str__(self) -> str:
        if self.reached:
            return f"{self.unit} · {self.channel}：已送达（{self.sent} 条消息）"
        return (f"{self.unit} · {self.channel}：未送达（已发出 {self.sent}/{self.messages} 条，"
                f"共尝试 {self.attempts} 次）：{self.reason}")


class Pacer:
    """At most ``limit`` requests per key in any ``window`` seconds (a sliding window)."""

    def __init__(self, clock: Clock, limit: int = 20, window: float = 60.0) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("pacing needs limit >= 1 and window > 0")
        self.clock = clock
        self.limit = limit
        self.window = window
        self._sent: dict[str, deque[float]] = {}

    def wait(self, key: str) -> float:
        """Sleep until a request to ``key`` is allowed; the seconds slept."""
        sent = self._sent.setdefault(key, deque())
        now = self.clock.monotonic()
        while sent and sent[0] <= now - self.window:
            sent.popleft()
        if len(sent) < self.limit:
            return 0.0
        delay = sent[0] + self.window - now
        self.clock.sleep(delay)
        sent.popleft()
        return delay

    def record(self, key: str) -> None:
        self._sent.setdefault(key, deque()).append(self.clock.monotonic())


@dataclass
class Transport:
    clock: Clock = field(default_factory=SystemClock)
    timeout: float = 10.0
    attempts: int = 3
    backoff: float = 1.0
    max_backoff: float = 8.0
    budget: float = 30.0
    pace_limit: int = 20
    pace_window: float = 60.0

    def __post_init__(self) -> None:
        if not 0 < self.timeout <= 120:
            raise ValueError("timeout must be in (0, 120] seconds")
        if not 1 <= self.attempts <= 10:
            raise ValueError("attempts must be in 1..10")
        if self.backoff < 0 or self.max_backoff < 0 or self.budget <= 0:
            raise ValueError("backoff, max_backoff must be >= 0 and budget > 0")
        self.pacer = Pacer(self.clock, self.pace_limit, self.pace_window)

    def run(self, attempt: Callable[[float], Verdict], *, label: str,
            pace_key: str | None = None, scrub: Callable[[str], str] = lambda text: text) -> Outcome:
        """Try ``attempt(timeout)`` until it succeeds, fails for good, or patience ends."""
        clock = self.clock
        paced = 0.0
        start = clock.monotonic()
        verdict = permanent("没有尝试")
        for number in range(1, self.attempts + 1):
            if pace_key is not None:
                paced += self.pacer.wait(pace_key)
            spent = clock.monotonic() - start - paced
            verdict = attempt(max(0.001, min(self.timeout, self.budget - spent)))
            if pace_key is not None:
                self.pacer.record(pace_key)
            if verdict.ok:
                return Outcome(True, number)
            reason = scrub(verdict.reason)
            if not verdict.transient or number == self.attempts:
                return Outcome(False, number, reason)
            delay = min(self.backoff * 2 ** (number - 1), self.max_backoff)
            if verdict.retry_after is not None:
                delay = max(delay, verdict.retry_after)
            spent = clock.monotonic() - start - paced
            if spent + delay >= self.budget:
                return Outcome(False, number, f"{reason}（{self.budget:g} 秒内未能送达，不再重试）")
            log.info("%s：第 %d 次发送失败（%s），%g 秒后重试", label, number, reason, delay)
            clock.sleep(delay)
        return Outcome(False, self.attempts, scrub(verdict.reason))

    def post_json(self, url: Callable[[], str], body: bytes, *,
                  judge: Callable[[bytes], Verdict], label: str, pace_key: str,
                  scrub: Callable[[str], str] = lambda text: text) -> Outcome:
        """POST ``body`` (JSON) to ``url()`` — called afresh for each attempt, so a
        signed URL carries a fresh timestamp — and let ``judge`` read a 2xx answer."""
        return self.run(lambda timeout: post_once(url(), body, timeout, judge),
                        label=label, pace_key=pace_key, scrub=scrub)


def send_messages(unit: str, channel: str, bodies: list[bytes], transport: Transport, *,
                  url: Callable[[], str], judge: Callable[[bytes], Verdict], label: str,
                  pace_key: str, scrub: Callable[[str], str]) -> Delivery:
    """POST each JSON body in turn; stop at the first one not accepted.

    Stopping keeps a group from reading （3/3） after a missing （2/3）.
    """
    attempts = sent = 0
    for body in bodies:
        outcome = transport.post_json(url, body, judge=judge, label=label,
                                      pace_key=pace_key, scrub=scrub)
        attempts += outcome.attempts
        if not outcome.ok:
            return Delivery(unit, channel, False, attempts, len(bodies), sent, outcome.reason)
        sent += 1
    return Delivery(unit, channel, True, attempts, len(bodies), sent)


def robot_preview(label: str, unit: str, url: str, messages: list[dict]) -> str:
    """The messages a robot would get, as indented JSON under the (already masked) URL."""
    import json

    lines = [f"{label}机器人 · {unit} · {len(messages)} 条消息", f"POST {url}"]
    for index, payload in enumerate(messages, start=1):
        lines.append(f"── 第 {index}/{len(messages)} 条 ──")
        lines.append(json.dumps(payload, ensure_ascii=False, indent=2))
    return "\n".join(lines) + "\n"


def post_once(url: str, body: bytes, timeout: float, judge: Callable[[bytes], Verdict]) -> Verdict:
    """One HTTP POST; network trouble, 5xx and 429 are transient, other non-2xx permanent."""
    import http.client
    import ssl
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(parts.hostname, parts.port, timeout=timeout,
                                           context=ssl.create_default_context())
    else:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    host = parts.hostname
    try:
        conn.request("POST", target, body=body,
                     headers={"Content-Type": "application/json; charset=utf-8"})
        answer = conn.getresponse()
        data = answer.read(MAX_ANSWER_BYTES)
        status = answer.status
        retry_after = _seconds(answer.getheader("Retry-After"))
    except http.client.RemoteDisconnected:
        return transient(f"{host} 没有回应就关闭了连接")
    except http.client.IncompleteRead:
        return transient(f"{host} 的回应不完整")
    except (http.client.HTTPException, OSError) as exc:
        return network_failure(exc, host, timeout)
    finally:
        conn.close()
    if status >= 500 or status == 429:
        return transient(f"{host} 答复 HTTP {status}", retry_after)
    if not 200 <= status < 300:
        return permanent(f"{host} 答复 HTTP {status}")
    return judge(data)


def network_failure(exc: BaseException, who: str, timeout: float, *, cert_hint: str = "") -> Verdict:
    """The verdict on a failure below the protocol: only a bad certificate is permanent."""
    import socket
    import ssl

    if isinstance(exc, TimeoutError):
        return transient(f"等待 {who} 回应超过 {timeout:g} 秒")
    if isinstance(exc, ConnectionRefusedError):
        return transient(f"{who} 拒绝连接")
    if isinstance(exc, (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
        return transient(f"与 {who} 的连接被中断")
    if isinstance(exc, ssl.SSLCertVerificationError):
        return permanent(f"{who} 的证书校验失败{cert_hint}")
    if isinstance(exc, ssl.SSLError):
        return transient(f"与 {who} 的加密握手失败")
    if isinstance(exc, socket.gaierror):
        return transient(f"找不到 {who}（域名解析失败）")
    return transient(f"与 {who} 通信出错：{type(exc).__name__}")


def _seconds(value: str | None) -> float | None:
    """A Retry-After header in seconds; an HTTP date is not worth honouring here."""
    try:
        seconds = float(value) if value is not None else None
    except ValueError:
        return None
    return seconds if seconds is not None and 0 <= seconds <= 3600 else None


def errcode_answer(data: bytes, what: str, transient_codes: dict[int, str],
                   known: dict[int, str]) -> Verdict:
    """Read a robot's JSON answer ``{"errcode": 0, "errmsg": …}``: 0 is success."""
    import json

    try:
        answer = json.loads(data.decode("utf-8"))
        code = int(answer.get("errcode", -1)) if isinstance(answer, dict) else -1
        message = str(answer.get("errmsg", "")) if isinstance(answer, dict) else ""
    except (ValueError, UnicodeDecodeError):
        return permanent(f"{what}的答复看不懂（不是 JSON）")
    if code == 0:
        return OK
    message = message[:200]
    if code in transient_codes:
        return transient(f"{what}拒收：{transient_codes[code]}（errcode {code}：{message}）")
    explain = known.get(code, "")
    return permanent(f"{what}拒收：{explain + '，' if explain else ''}errcode {code}：{message}")

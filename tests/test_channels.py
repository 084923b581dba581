"""The delivery layer of reminders (催办): DingTalk, WeCom, mail, secrets, pacing and retries.

Every send goes to a server this file starts on 127.0.0.1 (tests/support/loopback.py).
"""

from __future__ import annotations

import base64
import email.utils
import hashlib
import hmac
import logging
import os
import subprocess
import time
from datetime import date
from urllib.parse import quote, quote_plus

import pytest

from fupin_cli.channels import (
    CHANNELS, Delivery, Notice, NoticeItem, RouteError, Secret, SecretError, SecretStore, Transport, compose,
    dingtalk, mail, redact, wecom,
)
from fupin_cli.channels.compose import markdown_pieces, plain_text
from fupin_cli.channels.notice import item_status
from fupin_cli.channels.secrets import parse_secrets, read_secrets_file
from fupin_cli.channels.transport import Pacer
from fupin_cli.domain.errors import FupinError, PlanError

pytest.register_assert_rewrite("support")  # before importing it: it is also the fixtures' plugin
from support.clock import FakeClock  # noqa: E402
from support.loopback import SmtpServer, close, error, free_port, hang, ok, status  # noqa: E402

pytest_plugins = ["support.loopback"]  # the robots and smtp fixtures

AS_OF = date(2018, 7, 15)
DING_TOKEN = "dtok-7c1e9a55b2"
DING_SECRET = "SECa1b2c3+d4e5/f6g7=h8i9"  # + / = exercise the URL-encoding of the sign
WECOM_KEY = "wkey-3f9d2c71-aa04"
SMTP_PASSWORD = "s3cret-PW!"
WHERE = "units.yaml 市民政局"


def notice(items=None, *, unit="市民政局", title="督办提醒") -> Notice:
    if items is None:
        items = [
            NoticeItem("8.2", "落实低保提标", "2018-06", date(2018, 7, 3), 12, "overdue", 1),
            NoticeItem("5.1", "开展危房改造", "2018-Q2", date(2018, 7, 20), 5, "due_soon"),
            NoticeItem("R.1", "报送落实情况", "2018-07", date(2018, 7, 16), 1, "feedback_due"),
        ]
    return Notice(unit, title, "2018年脱贫攻坚任务清单", items, AS_OF)


def store(**extra) -> SecretStore:
    return SecretStore({"DING_TOKEN": DING_TOKEN, "DING_SECRET": DING_SECRET, "WECOM_KEY": WECOM_KEY,
                        "SMTP_PASSWORD": SMTP_PASSWORD, **extra})


def ding_route(robots, *, secret=True, keyword=None, at_mobiles=None, token=DING_TOKEN):
    url = robots.dingtalk(token, secret=DING_SECRET if secret else None, keyword=keyword)
    config = {"webhook": url.replace(token, "${DING_TOKEN}") if token == DING_TOKEN else url}
    if secret:
        config["secret"] = "${DING_SECRET}"
    if keyword:
        config["keyword"] = keyword
    if at_mobiles:
        config["at_mobiles"] = at_mobiles
    return dingtalk.route(config, store(), where=WHERE)


def wecom_route(robots, **config):
    url = robots.wecom(WECOM_KEY)
    return wecom.route({"webhook": url.replace(WECOM_KEY, "${WECOM_KEY}"), **config}, store(), where=WHERE)


def fast_transport(clock=None, **settings) -> Transport:
    return Transport(clock=clock or FakeClock(time.time()), **settings)


# --- what a notice says -------------------------------------------------------------


def test_item_status_words():
    def status_of(kind, days, due=date(2018, 7, 20), chased=0):
        return item_status(NoticeItem("1", "事项", "2018-07", due, days, kind, chased))

    assert status_of("overdue", 12, date(2018, 7, 3), 2) == "逾期 12 天，应于 2018-07-03 完成，已催办 2 次"
    assert status_of("overdue", None, None) == "已逾期"
    assert status_of("due_soon", 0) == "今天到期，2018-07-20 截止"
    assert status_of("due_soon", 5) == "还有 5 天到期，2018-07-20 截止"
    assert status_of("feedback_due", 3) == "还有 3 天应报送进展，2018-07-20 前报送"
    assert status_of("feedback_due", 0, None) == "今天应报送进展"
    assert status_of("feedback_due", -2) == "进展报送已逾期 2 天，2018-07-20 前报送"


def test_notice_is_immutable_and_checks_kinds():
    made = Notice("市民政局", "督办提醒", "", [NoticeItem("1", "a", "", None, None, "overdue")], AS_OF)
    assert isinstance(made.items, tuple)
    with pytest.raises(ValueError, match="kind"):
        NoticeItem("1", "a", "", None, None, "late")
    with pytest.raises(ValueError, match="negative"):
        NoticeItem("1", "a", "", None, -1, "overdue")


def test_plain_text_body():
    assert plain_text(notice()) == (
        "督办提醒：市民政局\n"
        "2018年脱贫攻坚任务清单 · 截至 2018-07-15\n"
        "\n"
        "已逾期 1 项\n"
        "  1. 8.2（2018-06） 落实低保提标：逾期 12 天，应于 2018-07-03 完成，已催办 1 次\n"
        "\n"
        "即将到期 1 项\n"
        "  1. 5.1（2018-Q2） 开展危房改造：还有 5 天到期，2018-07-20 截止\n"
        "\n"
        "待报送进展 1 项\n"
        "  1. R.1（2018-07） 报送落实情况：还有 1 天应报送进展，2018-07-16 前报送\n")


# --- splitting ----------------------------------------------------------------------


def small_limit(limit):
    return lambda text, first: len(text.encode("utf-8")) <= limit


def overdue(task, text, days=3):
    return NoticeItem(task, text, "", date(2018, 7, 15 - days), days, "overdue")


def test_split_exact_pieces_for_a_small_limit():
    items = [overdue("1", "甲" * 10), overdue("2", "乙" * 10), overdue("3", "丙" * 10),
             NoticeItem("4", "丁" * 10, "", date(2018, 7, 17), 2, "due_soon")]
    made = Notice("民政局", "催办", "", items, AS_OF)
    header = "#### 催办（{}/2）\n\n**民政局** · 截至 2018-07-15\n\n"
    line = "- {} {}：逾期 3 天，应于 2018-07-12 完成"
    # The first piece (245 bytes) has no room for item 3 (77 bytes more); the mention goes first.
    assert markdown_pieces(made, small_limit(300), mention="@13800001111") == [
        header.format(1) + "**已逾期 3 项**\n" + line.format("1", "甲" * 10) + "\n"
        + line.format("2", "乙" * 10) + "\n\n@13800001111",
        header.format(2) + "**已逾期 3 项（续）**\n" + line.format("3", "丙" * 10) + "\n\n"
        "**即将到期 1 项**\n- 4 丁丁丁丁丁丁丁丁丁丁：还有 2 天到期，2018-07-17 截止",
    ]
    # Everything fits in 400 bytes: one message, no mark.
    [whole] = markdown_pieces(made, small_limit(400))
    assert whole.startswith("#### 催办\n\n") and "（续）" not in whole


def test_wecom_split_at_4096_bytes_never_cuts_an_item():
    # Each item line is 3 + 300×3 + 41 = 944 bytes: four fit in 4096 with the header, five do not.
    items = [overdue(f"T{n:02d}", chr(0x4E00 + n) * 300) for n in range(1, 11)]
    made = notice(items)
    pieces = markdown_pieces(made, wecom.fits)
    assert len(pieces) == 3
    assert [piece.splitlines()[0] for piece in pieces] == [
        "#### 督办提醒（1/3）", "#### 督办提醒（2/3）", "#### 督办提醒（3/3）"]
    in_piece = [[item.task for item in items if compose.item_line(item) in piece] for piece in pieces]
    assert in_piece == [["T01", "T02", "T03", "T04"], ["T05", "T06", "T07", "T08"], ["T09", "T10"]]
    assert "**已逾期 10 项**" in pieces[0]
    assert "**已逾期 10 项（续）**" in pieces[1] and "**已逾期 10 项（续）**" in pieces[2]
    for piece in pieces:
        assert len(piece.encode("utf-8")) <= 4096
        assert "…" not in piece
    # Greedy: the next item would not have fitted into the piece before it.
    assert len((pieces[0] + "\n- " + compose.item_line(items[4])).encode()) > 4096


def test_an_item_longer_than_a_message_is_shortened_with_an_ellipsis():
    long_item = NoticeItem("9.9", "长" * 2000, "2018-06", date(2018, 7, 1), 14, "overdue", 3)
    made = notice([overdue("1", "短事项"), long_item])
    pieces = markdown_pieces(made, wecom.fits)
    assert len(pieces) == 2
    assert "- 1 短事项：逾期 3 天" in pieces[0]
    kept = pieces[1].split("- 9.9（2018-06） ")[1].split("…")[0]
    assert set(kept) == {"长"}
    # The status is never what is cut, and the text kept is the most that fits.
    assert pieces[1].endswith("长…：逾期 14 天，应于 2018-07-01 完成，已催办 3 次")
    assert len(pieces[1].encode("utf-8")) <= 4096
    assert len(pieces[1].replace("…", "长…").encode("utf-8")) > 4096


# --- DingTalk -----------------------------------------------------------------------


def test_dingtalk_signed_markdown_with_mentions_reaches_the_robot(robots):
    clock = FakeClock(time.time())
    route = ding_route(robots, at_mobiles=[13800001111, "13900002222"])
    delivery = dingtalk.send(notice(), route, fast_transport(clock))
    assert delivery == Delivery("市民政局", "dingtalk", True, 1, 1, 1, "")
    [request] = robots.requests
    assert request.answer == "ok" and request.problems == []
    assert request.method == "POST" and request.path == "/robot/send"
    assert request.query["access_token"] == DING_TOKEN
    timestamp = request.query["timestamp"]
    assert int(timestamp) == int(clock.wall() * 1000)
    expected = base64.b64encode(hmac.new(DING_SECRET.encode(), f"{timestamp}\n{DING_SECRET}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert request.query["sign"] == expected
    assert request.body == {
        "msgtype": "markdown",
        "markdown": {
            "title": "督办提醒：市民政局",
            "text": "#### 督办提醒\n\n**市民政局** · 2018年脱贫攻坚任务清单 · 截至 2018-07-15\n\n"
                    "**已逾期 1 项**\n- 8.2（2018-06） 落实低保提标：逾期 12 天，应于 2018-07-03 完成，已催办 1 次\n\n"
                    "**即将到期 1 项**\n- 5.1（2018-Q2） 开展危房改造：还有 5 天到期，2018-07-20 截止\n\n"
                    "**待报送进展 1 项**\n- R.1（2018-07） 报送落实情况：还有 1 天应报送进展，2018-07-16 前报送\n\n"
                    "@13800001111 @13900002222"},
        "at": {"atMobiles": ["13800001111", "13900002222"], "isAtAll": False},
    }


def test_dingtalk_sign_is_url_encoded():
    url = dingtalk.signed_url("https://oapi.dingtalk.com/robot/send?access_token=x", DING_SECRET, 1531620000000)
    digest = hmac.new(DING_SECRET.encode(), f"1531620000000\n{DING_SECRET}".encode(), hashlib.sha256).digest()
    assert url == ("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1531620000000&sign="
                   + quote_plus(base64.b64encode(digest).decode()))
    assert dingtalk.signed_url("https://h/robot/send?access_token=x", None, 1) == "https://h/robot/send?access_token=x"


def test_dingtalk_wrong_secret_is_a_sign_mismatch_and_not_retried(robots):
    url = robots.dingtalk(DING_TOKEN, secret="SEC-the-real-one")
    route = dingtalk.route({"webhook": url, "secret": "${DING_SECRET}"}, store(), where=WHERE)
    delivery = dingtalk.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts, delivery.sent) == (False, 1, 0)
    assert delivery.reason == ("钉钉拒收：签名不符（检查 secret 是否与机器人的加签密钥一致），"
                               "errcode 310000：sign not match")


def test_dingtalk_stale_timestamp_is_refused(robots):
    route = ding_route(robots)
    clock = FakeClock(time.time() - 2 * 3600)  # this machine's clock two hours behind
    delivery = dingtalk.send(notice(), route, fast_transport(clock))
    assert not delivery.reached
    assert delivery.reason == ("钉钉拒收：时间戳无效（本机时钟与钉钉相差超过 1 小时？），"
                               "errcode 310000：invalid timestamp")


def test_dingtalk_keyword_is_added_when_missing_and_not_twice(robots):
    route = ding_route(robots, keyword="督办", secret=False)
    assert dingtalk.send(notice(title="催办通知"), route, fast_transport()).reached
    assert robots.requests[-1].body["markdown"]["text"].startswith("#### 【督办】催办通知\n\n")
    assert dingtalk.send(notice(title="督办提醒"), route, fast_transport()).reached
    assert robots.requests[-1].body["markdown"]["text"].startswith("#### 督办提醒\n\n")
    assert [r.answer for r in robots.requests] == ["ok", "ok"]


def test_dingtalk_robot_checks_the_keyword(robots):
    # A route that does not know the robot's keyword: DingTalk refuses, and fupin says why.
    url = robots.dingtalk(DING_TOKEN, keyword="督办")
    route = dingtalk.route({"webhook": url}, store(), where=WHERE)
    delivery = dingtalk.send(notice(title="催办通知"), route, fast_transport())
    assert delivery.reason == ("钉钉拒收：消息里没有机器人要求的关键词（检查 keyword），"
                               "errcode 310000：keywords not in content")
    assert delivery.attempts == 1


def test_dingtalk_long_notice_is_split_under_20000_bytes(robots):
    items = [overdue(f"T{n:03d}", "落实扶贫政策" * 40) for n in range(60)]
    route = ding_route(robots, at_mobiles=["13800001111"])
    delivery = dingtalk.send(notice(items), route, fast_transport())
    assert delivery.reached and delivery.messages == delivery.sent == len(robots.requests) > 1
    total = delivery.messages
    for index, request in enumerate(robots.requests, start=1):
        assert request.answer == "ok" and len(request.raw) <= 20000
        assert request.body["markdown"]["title"] == f"督办提醒：市民政局（{index}/{total}）"
        assert request.body["at"]["atMobiles"] == (["13800001111"] if index == 1 else [])
    texts = "".join(r.body["markdown"]["text"] for r in robots.requests)
    assert [texts.count(f"- T{n:03d} ") for n in range(60)] == [1] * 60


def test_dingtalk_rate_limit_errcode_is_retried(robots):
    route = ding_route(robots)
    robots.script("dingtalk", DING_TOKEN, error(130101, "send too fast, exceed 20 times per minute"))
    clock = FakeClock(time.time())
    delivery = dingtalk.send(notice(), route, fast_transport(clock))
    assert (delivery.reached, delivery.attempts) == (True, 2)
    assert clock.sleeps == [1.0]
    assert [r.answer for r in robots.requests] == ["errcode 130101", "ok"]
    # A fresh timestamp for the retry.
    assert [int(r.query["timestamp"]) for r in robots.requests] == [
        int(clock.wall_start * 1000), int((clock.wall_start + 1.0) * 1000)]


# --- WeCom --------------------------------------------------------------------------


def test_wecom_markdown_with_userid_mentions_and_a_mobile_text(robots):
    route = wecom_route(robots, mentioned_list=["zhangsan"], mentioned_mobile_list=[13800001111, "@all"])
    delivery = wecom.send(notice(), route, fast_transport())
    assert delivery == Delivery("市民政局", "wecom", True, 2, 2, 2, "")
    first, second = robots.requests
    assert (first.path, first.query) == ("/cgi-bin/webhook/send", {"key": WECOM_KEY})
    assert first.body == {"msgtype": "markdown", "markdown": {"content": (
        "#### 督办提醒\n\n**市民政局** · 2018年脱贫攻坚任务清单 · 截至 2018-07-15\n\n"
        "**已逾期 1 项**\n- 8.2（2018-06） 落实低保提标：逾期 12 天，应于 2018-07-03 完成，已催办 1 次\n\n"
        "**即将到期 1 项**\n- 5.1（2018-Q2） 开展危房改造：还有 5 天到期，2018-07-20 截止\n\n"
        "**待报送进展 1 项**\n- R.1（2018-07） 报送落实情况：还有 1 天应报送进展，2018-07-16 前报送\n\n"
        "<@zhangsan>")}}
    assert second.body == {"msgtype": "text", "text": {
        "content": "请查看上面的督办提醒：市民政局，共 3 项", "mentioned_mobile_list": ["13800001111", "@all"]}}
    assert [r.answer for r in robots.requests] == ["ok", "ok"]


def test_wecom_long_notice_goes_in_marked_pieces(robots):
    items = [overdue(f"T{n:02d}", chr(0x4E00 + n) * 300) for n in range(1, 11)]
    route = wecom_route(robots, mentioned_mobile_list=["13800001111"])
    delivery = wecom.send(notice(items), route, fast_transport())
    assert (delivery.reached, delivery.messages, delivery.sent, delivery.attempts) == (True, 4, 4, 4)
    contents = [r.body["markdown"]["content"] for r in robots.requests[:3]]
    assert [c.splitlines()[0] for c in contents] == [
        "#### 督办提醒（1/3）", "#### 督办提醒（2/3）", "#### 督办提醒（3/3）"]
    assert robots.requests[3].body["text"]["content"] == "请查看上面的督办提醒：市民政局，共 10 项（分 3 条）"
    assert all(r.answer == "ok" for r in robots.requests)


def test_wecom_errcode_is_a_failure_and_45009_is_retried(robots):
    route = wecom_route(robots)
    robots.script("wecom", WECOM_KEY, error(45009, "api freq out of limit"), error(45009, "api freq out of limit"),
                  error(45009, "api freq out of limit"))
    clock = FakeClock(time.time())
    delivery = wecom.send(notice(), route, fast_transport(clock))
    assert (delivery.reached, delivery.attempts, delivery.sent) == (False, 3, 0)
    assert delivery.reason == "企业微信拒收：发送太频繁，机器人被限流（errcode 45009：api freq out of limit）"
    assert clock.sleeps == [1.0, 2.0]

    robots.script("wecom", WECOM_KEY, error(93000, "invalid webhook url"))
    delivery = wecom.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts) == (False, 1)
    assert delivery.reason == "企业微信拒收：errcode 93000：invalid webhook url"


# --- faults -------------------------------------------------------------------------


def test_503_three_times_gives_up_after_three_attempts(robots):
    route = ding_route(robots)
    robots.script("dingtalk", DING_TOKEN, status(503), status(503), status(503))
    clock = FakeClock(time.time())
    delivery = dingtalk.send(notice(), route, fast_transport(clock))
    assert delivery == Delivery("市民政局", "dingtalk", False, 3, 1, 0, "127.0.0.1 答复 HTTP 503")
    assert clock.sleeps == [1.0, 2.0]
    assert str(delivery) == "市民政局 · dingtalk：未送达（已发出 0/1 条，共尝试 3 次）：127.0.0.1 答复 HTTP 503"


def test_503_then_success(robots):
    route = ding_route(robots)
    robots.script("dingtalk", DING_TOKEN, status(503), status(502))
    delivery = dingtalk.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts) == (True, 3)


def test_429_waits_as_long_as_retry_after_says(robots):
    route = wecom_route(robots)
    robots.script("wecom", WECOM_KEY, status(429, retry_after=5))
    clock = FakeClock(time.time())
    delivery = wecom.send(notice(), route, fast_transport(clock))
    assert (delivery.reached, delivery.attempts) == (True, 2)
    assert clock.sleeps == [5.0]
    assert [r.answer for r in robots.requests] == ["HTTP 429", "ok"]


def test_http_404_is_not_retried(robots):
    url = f"http://127.0.0.1:{robots.port}/no/such/robot"
    route = wecom.route({"webhook": url}, store(), where=WHERE)
    delivery = wecom.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts, delivery.reason) == (False, 1, "127.0.0.1 答复 HTTP 404")


def test_retries_stop_at_the_time_budget(robots):
    route = ding_route(robots)
    robots.script("dingtalk", DING_TOKEN, *[status(503)] * 5)
    clock = FakeClock(time.time())
    transport = Transport(clock=clock, attempts=5, backoff=20, max_backoff=60, budget=30)
    delivery = dingtalk.send(notice(), route, transport)
    # 20 s after the first failure, 40 s more would pass the 30 s budget.
    assert clock.sleeps == [20.0]
    assert (delivery.reached, delivery.attempts) == (False, 2)
    assert delivery.reason == "127.0.0.1 答复 HTTP 503（30 秒内未能送达，不再重试）"


def test_a_hanging_robot_costs_bounded_time(robots):
    route = ding_route(robots)
    robots.script("dingtalk", DING_TOKEN, hang(), hang(), hang())
    transport = Transport(timeout=0.5, attempts=3, backoff=0.1)
    started = time.monotonic()
    delivery = dingtalk.send(notice(), route, transport)
    elapsed = time.monotonic() - started
    assert (delivery.reached, delivery.attempts) == (False, 3)
    assert delivery.reason == "等待 127.0.0.1 回应超过 0.5 秒"
    assert 1.5 <= elapsed < 3.0
    assert [r.answer for r in robots.requests] == ["hang"] * 3


def test_a_closed_connection_is_retried(robots):
    route = wecom_route(robots)
    robots.script("wecom", WECOM_KEY, close())
    delivery = wecom.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts) == (True, 2)

    robots.script("wecom", WECOM_KEY, close(), close(), close())
    delivery = wecom.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts) == (False, 3)
    assert delivery.reason == "127.0.0.1 没有回应就关闭了连接"


def test_a_refused_connection_is_retried_then_given_up():
    port = free_port()  # nothing listens there
    route = wecom.route({"webhook": f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k"}, store(), where=WHERE)
    clock = FakeClock(time.time())
    delivery = wecom.send(notice(), route, fast_transport(clock))
    assert (delivery.reached, delivery.attempts, delivery.reason) == (False, 3, "127.0.0.1 拒绝连接")
    assert clock.sleeps == [1.0, 2.0]


def test_a_failed_piece_stops_the_rest(robots):
    items = [overdue(f"T{n:02d}", chr(0x4E00 + n) * 300) for n in range(1, 11)]
    route = wecom_route(robots)
    robots.script("wecom", WECOM_KEY, ok(), error(40058, "markdown.content exceed max length 4096"))
    delivery = wecom.send(notice(items), route, fast_transport())
    assert (delivery.reached, delivery.messages, delivery.sent, delivery.attempts) == (False, 3, 1, 2)
    assert delivery.reason == "企业微信拒收：消息太长，errcode 40058：markdown.content exceed max length 4096"
    assert len(robots.requests) == 2


# --- pacing -------------------------------------------------------------------------


def test_25_messages_to_one_robot_the_21st_waits_for_the_window(robots):
    clock = FakeClock(time.time())
    robots.wall = clock.wall  # the robot counts its 20 a minute on the same clock
    route = ding_route(robots)
    transport = fast_transport(clock)
    deliveries = [dingtalk.send(notice(unit=f"单位{n}"), route, transport) for n in range(25)]
    assert all(d.reached and d.attempts == 1 for d in deliveries)
    assert clock.sleeps == [60.0]
    assert [r.at - clock.wall_start for r in robots.requests] == [0.0] * 20 + [60.0] * 5
    assert [r.answer for r in robots.requests] == ["ok"] * 25


def test_without_pacing_the_robot_refuses_the_21st(robots):
    # The loopback robot really enforces the limit the pacing exists for.
    clock = FakeClock(time.time())
    robots.wall = clock.wall
    route = ding_route(robots)
    transport = Transport(clock=clock, pace_limit=100, attempts=1)
    deliveries = [dingtalk.send(notice(), route, transport) for _ in range(21)]
    assert [d.reached for d in deliveries] == [True] * 20 + [False]
    assert deliveries[20].reason == ("钉钉拒收：发送太频繁，机器人被限流"
                                     "（errcode 130101：send too fast, exceed 20 times per minute）")


def test_pacing_is_per_webhook(robots):
    clock = FakeClock(time.time())
    robots.wall = clock.wall
    first = ding_route(robots)
    second = ding_route(robots, token="dtok-second")
    transport = fast_transport(clock)
    for _ in range(20):
        assert dingtalk.send(notice(), first, transport).reached
    assert dingtalk.send(notice(), second, transport).reached
    assert clock.sleeps == []
    assert dingtalk.send(notice(), first, transport).reached
    assert clock.sleeps == [60.0]


def test_pacer_counts_from_when_each_answer_arrived():
    clock = FakeClock()
    pacer = Pacer(clock, limit=20, window=60.0)
    waits = []
    for _ in range(25):
        waits.append(pacer.wait("robot"))
        clock.advance(1.0)  # each request takes a second
        pacer.record("robot")
    # Answers arrived at 1..20 s; the 21st may start at 61 s, 41 s after the 20th ended.
    assert waits == [0.0] * 20 + [41.0] + [0.0] * 4
    assert clock.sleeps == [41.0]


# --- mail ---------------------------------------------------------------------------


def mail_route(server_port, addresses=("duban@minzheng.example.org", "office@minzheng.example.org"), **server):
    config = {"host": "127.0.0.1", "port": server_port, "security": "none",
              "sender": "市督查室 <duban@dcs.example.org>", "user": "duban", "password": "${SMTP_PASSWORD}"}
    config.update(server)
    return mail.route(list(addresses), store(), where=WHERE, server=config)


HTML = "<html><body><h1>督办提醒</h1><p>市民政局 3 项</p></body></html>"


def test_mail_reaches_the_smtp_server_with_both_parts(smtp):
    clock = FakeClock(1531620000.0)
    delivery = mail.send(notice(), mail_route(smtp.port), fast_transport(clock), html=HTML)
    assert delivery == Delivery("市民政局", "email", True, 1, 1, 1, "")
    assert smtp.logins == [("duban", SMTP_PASSWORD)]
    [envelope] = smtp.envelopes
    assert envelope.mail_from == "duban@dcs.example.org"
    assert envelope.rcpt_tos == ["duban@minzheng.example.org", "office@minzheng.example.org"]
    raw = envelope.original_content.decode("ascii")
    assert "Subject: =?utf-8?" in raw  # encoded, not raw UTF-8
    [message] = smtp.messages
    assert message["Subject"] == "督办提醒：市民政局"
    assert message["From"].addresses[0].display_name == "市督查室"
    assert message["From"].addresses[0].addr_spec == "duban@dcs.example.org"
    assert message["To"] == "duban@minzheng.example.org, office@minzheng.example.org"
    assert email.utils.parsedate_to_datetime(message["Date"]).timestamp() == 1531620000.0
    assert message["Message-ID"].startswith("<") and message["Message-ID"].endswith("@dcs.example.org>")
    assert message.get_content_type() == "multipart/alternative"
    text, html = message.iter_parts()
    assert (text.get_content_type(), html.get_content_type()) == ("text/plain", "text/html")
    assert text.get_content() == plain_text(notice())
    assert html.get_content() == HTML + "\n"


def test_mail_without_html_is_plain_text(smtp):
    assert mail.send(notice(), mail_route(smtp.port), fast_transport()).reached
    [message] = smtp.messages
    assert message.get_content_type() == "text/plain"
    assert message.get_content() == plain_text(notice())


def test_mail_wrong_password_is_refused_and_not_retried(smtp):
    route = mail.route(["a@example.org"], store(SMTP_PASSWORD="wrong-pw-123"), where=WHERE, server={
        "host": "127.0.0.1", "port": smtp.port, "security": "none", "sender": "duban@example.org",
        "user": "duban", "password": "${SMTP_PASSWORD}"})
    delivery = mail.send(notice(), route, fast_transport())
    assert (delivery.reached, delivery.attempts) == (False, 1)
    assert delivery.reason == "邮件服务器 127.0.0.1 拒绝登录（检查 user 和 password）"
    assert smtp.envelopes == []


def test_mail_starttls_required_but_not_offered(smtp):
    delivery = mail.send(notice(), mail_route(smtp.port, security="starttls", password=None, user=None),
                         fast_transport())
    assert (delivery.reached, delivery.attempts, delivery.reason) == (
        False, 1, "邮件服务器 127.0.0.1 不支持 STARTTLS")


def test_mail_server_down_is_retried_then_given_up():
    clock = FakeClock()
    delivery = mail.send(notice(), mail_route(free_port()), fast_transport(clock))
    assert (delivery.reached, delivery.attempts, delivery.reason) == (False, 3, "邮件服务器 127.0.0.1 拒绝连接")
    assert clock.sleeps == [1.0, 2.0]


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1 (openssl), as an intranet mail server might have."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("openssl cannot make a test certificate here")
    return cert, key


@pytest.mark.parametrize("security", ["starttls", "ssl"])
def test_mail_over_tls_with_an_intranet_ca(certificate, security):
    import ssl

    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    tls = {"tls_context": context, "require_starttls": True} if security == "starttls" else {"ssl_context": context}
    server = SmtpServer(users={"duban": SMTP_PASSWORD}, **tls).start()
    try:
        route = mail_route(server.port, security=security, cafile=str(cert))
        delivery = mail.send(notice(), route, fast_transport(), html=HTML)
        assert delivery.reached, delivery.reason
        assert server.logins == [("duban", SMTP_PASSWORD)]
        assert server.messages[0]["Subject"] == "督办提醒：市民政局"
        # Without the CA the certificate is refused, for good.
        untrusted = mail.send(notice(), mail_route(server.port, security=security), fast_transport())
        assert (untrusted.reached, untrusted.attempts) == (False, 1)
        assert untrusted.reason == "邮件服务器 127.0.0.1 的证书校验失败（内网证书请设置 cafile）"
    finally:
        server.stop()


# --- configuration ------------------------------------------------------------------


@pytest.mark.parametrize(("config", "message"), [
    ({}, "units.yaml 市民政局 的 dingtalk.webhook：必须填写"),
    ("https://x", "units.yaml 市民政局 的 dingtalk 应该是键值映射（webhook、secret、keyword、at_mobiles），不是文字"),
    ({"webhook": "https://oapi.dingtalk.com/robot/send", "webhok": 1},
     "units.yaml 市民政局 的 dingtalk 里有不认识的键 webhok；可用的键：webhook、secret、keyword、at_mobiles"),
    ({"webhook": "http://oapi.dingtalk.com/robot/send?access_token=abc"},
     "units.yaml 市民政局 的 dingtalk.webhook：必须用 https（明文 http 会泄露机器人的令牌）"),
    ({"webhook": "oapi.dingtalk.com/robot/send"},
     "units.yaml 市民政局 的 dingtalk.webhook：应该是 https:// 开头的完整网址"),
    ({"webhook": "https://oapi.dingtalk.com/robot/send", "at_mobiles": ["张三"]},
     "units.yaml 市民政局 的 dingtalk.at_mobiles：第 1 项 张三 不是手机号"),
    ({"webhook": "https://oapi.dingtalk.com/robot/send", "at_mobiles": {"a": 1}},
     "units.yaml 市民政局 的 dingtalk.at_mobiles：应该是列表，不是映射"),
    ({"webhook": "https://oapi.dingtalk.com/robot/send", "keyword": "${DING_SECRET}"},
     "units.yaml 市民政局 的 dingtalk.keyword：关键词会出现在每条消息里，不能写成密钥占位符"),
])
def test_dingtalk_route_errors_name_the_key(config, message):
    with pytest.raises(RouteError) as caught:
        dingtalk.route(config, store(), where=WHERE)
    assert str(caught.value) == message
    assert caught.value.exit_code == 2 and isinstance(caught.value, PlanError)


def test_wecom_and_mail_route_errors_name_the_key():
    def fails(call, message):
        with pytest.raises(FupinError) as caught:
            call()
        assert str(caught.value) == message
        assert caught.value.exit_code == 2

    fails(lambda: wecom.route({"webhook": "https://q/x", "mentioned_list": ["@all"]}, store(), where=WHERE),
          "units.yaml 市民政局 的 wecom.mentioned_list：markdown 消息不能 @所有人；"
          "要提醒所有人，请在 mentioned_mobile_list 里写 \"@all\"")
    server = {"host": "smtp.example.org", "security": "ssl", "sender": "a@example.org"}
    fails(lambda: mail.route(["not-an-address"], store(), where=WHERE, server=server),
          "units.yaml 市民政局 的 email 第 1 项 not-an-address 不是邮件地址")
    fails(lambda: mail.route({"a": 1}, store(), where=WHERE, server=server),
          "units.yaml 市民政局 的 email 应该是邮件地址的列表")
    fails(lambda: mail.route(["a@example.org"], store(), where=WHERE, server={**server, "security": "tls"}),
          "units.yaml 的 mail.security：必须填写 ssl、starttls 或 none")
    fails(lambda: mail.route(["a@example.org"], store(), where=WHERE, server={**server, "port": 70000}),
          "units.yaml 的 mail.port：应该是 1 到 65535 之间的端口号")
    fails(lambda: mail.route(["a@example.org"], store(), where=WHERE, server={**server, "user": "duban"}),
          "units.yaml 的 mail.password：user 和 password 要么都填，要么都不填")
    fails(lambda: mail.route(["a@example.org"], store(), where=WHERE, server={
        **server, "security": "none", "user": "duban", "password": "${SMTP_PASSWORD}"}),
        "units.yaml 的 mail.security：不加密的连接不能发送登录密码；请用 ssl 或 starttls")
    fails(lambda: mail.route(["a@example.org"], store(), where=WHERE, server={**server, "sender": "督查室"}),
          "units.yaml 的 mail.sender：应该是邮件地址，可带名字，如 市督查室 <duban@example.gov.cn>")


def test_mail_port_follows_security():
    for security, port in (("ssl", 465), ("starttls", 587), ("none", 25)):
        route = mail.route("a@example.org", store(), where=WHERE,
                           server={"host": "smtp.example.org", "security": security, "sender": "b@example.org"})
        assert route.settings.server.port == port
        assert route.settings.to == ("a@example.org",)


def test_display_url_masks_credentials():
    from fupin_cli.channels.route import display_url

    assert display_url("https://u:pw@h.example/robot/send?access_token=t1&x=1&sign=s#f") == \
        "https://***@h.example/robot/send?access_token=***&x=1&sign=***"
    assert display_url("https://h/cgi-bin/webhook/send?key=k-1", [Secret("cgi")]) == \
        "https://h/***-bin/webhook/send?key=***"


def test_registry():
    assert sorted(CHANNELS) == ["dingtalk", "email", "wecom"]
    assert CHANNELS["dingtalk"].send is dingtalk.send and CHANNELS["wecom"].preview is wecom.preview
    assert CHANNELS["email"].route is mail.route and CHANNELS["email"].label == "邮件"


# --- secrets ------------------------------------------------------------------------


def write_secrets(tmp_path, text, mode=0o600):
    path = tmp_path / "secrets.env"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


def test_placeholders_come_from_the_environment_then_the_secrets_file(tmp_path):
    path = write_secrets(tmp_path, "# robots\nDING_SECRET = 'from-file'\n\nWECOM_KEY=\"k-file\"\nONLY_FILE=f1\n")
    found = SecretStore.from_environ({"FUPIN_SECRETS": str(path), "DING_SECRET": "from-env"})
    assert found.resolve("a${DING_SECRET}b${ONLY_FILE}", where="x") == ("afrom-envbf1", ("from-env", "f1"))
    assert found.get("WECOM_KEY", where="x") == "k-file"
    assert found.resolve("no placeholder", where="x") == ("no placeholder", ())


def test_a_missing_secret_names_the_placeholder_never_a_value(tmp_path):
    with pytest.raises(SecretError) as caught:
        SecretStore({"OTHER": "v"}).get("DING_SECRET", where="units.yaml 市民政局 的 dingtalk.secret")
    assert str(caught.value) == (
        "units.yaml 市民政局 的 dingtalk.secret：找不到占位符 ${DING_SECRET} 的值；请设置环境变量 DING_SECRET，"
        "或把它写进一个权限为 600 的密钥文件，并用环境变量 FUPIN_SECRETS 指向该文件")
    assert caught.value.exit_code == 2
    path = write_secrets(tmp_path, "A=1\n")
    with pytest.raises(SecretError, match=rf"或在密钥文件 {path} 里加一行 B=…"):
        SecretStore.from_environ({"FUPIN_SECRETS": str(path)}).get("B", where="x")
    with pytest.raises(SecretError, match="环境变量里的 E 是空的"):
        SecretStore({"E": ""}).get("E", where="x")


def test_a_broken_placeholder_is_an_error():
    with pytest.raises(SecretError) as caught:
        store().resolve("https://x/?t=${DING_TOKEN", where="k")
    assert str(caught.value) == ("k：第 14 个字符处的 “${” 不是完整的占位符；"
                                 "占位符写作 ${名称}，名称由字母、数字和下划线组成，不以数字开头")


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX file owners and modes")
def test_the_secrets_file_must_be_private(tmp_path):
    path = write_secrets(tmp_path, "A=1\n", mode=0o644)
    with pytest.raises(SecretError) as caught:
        read_secrets_file(str(path))
    assert str(caught.value) == f"密钥文件 {path} 的权限是 0644，同组或其他用户也能读写；请执行 chmod 600 {path}"
    path.chmod(0o400)
    assert read_secrets_file(str(path)) == {"A": "1"}
    with pytest.raises(SecretError, match="不是普通文件"):
        read_secrets_file(str(tmp_path))
    with pytest.raises(SecretError, match="找不到密钥文件"):
        read_secrets_file(str(tmp_path / "none.env"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo, 0o600)
    with pytest.raises(SecretError, match="不是普通文件"):
        read_secrets_file(str(fifo))  # refused, not waited on


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="only root can give a file away")
def test_the_secrets_file_must_be_the_users_own(tmp_path):
    path = write_secrets(tmp_path, "A=1\n")
    os.chown(path, 65534, 65534)
    with pytest.raises(SecretError) as caught:
        read_secrets_file(str(path))
    assert str(caught.value) == (f"密钥文件 {path} 不属于当前用户（属于 uid 65534）；"
                                 f"请用自己的账户创建它，并执行 chmod 600 {path}")


def test_secrets_file_errors_name_the_line_not_its_content():
    with pytest.raises(SecretError) as caught:
        parse_secrets("A=1\nthis-is-the-secret-value\n", "/s.env")
    assert str(caught.value) == "/s.env:2: 这一行不是 名称=值 的写法（名称由字母、数字和下划线组成，不以数字开头）"
    with pytest.raises(SecretError) as caught:
        parse_secrets("A=1\n# c\nA=2\n", "/s.env")
    assert str(caught.value) == "/s.env:3: A 重复定义（第 1 行已有）"


def test_redact_masks_plain_and_url_encoded_forms():
    secret = "SEC+a/b=c"
    text = f"x {secret} y {quote(secret, safe='')} z {quote_plus(secret)}"
    assert redact(text, [secret, ""]) == "x *** y *** z ***"
    assert repr(Secret(secret)) == "'***'" and str(Secret(secret)) == "***" and f"{Secret(secret)}" == "***"


def test_secrets_never_appear_in_any_output(robots, smtp, capsys, caplog):
    caplog.set_level(logging.DEBUG)
    clock = FakeClock(time.time())
    captured: list[str] = []
    ding = ding_route(robots, at_mobiles=["13800001111"])
    literal = dingtalk.route({"webhook": robots.dingtalk("literal-token-55aa"), "secret": "SEC-literal-66bb"},
                             store(), where=WHERE)
    wec = wecom_route(robots, mentioned_mobile_list=["13800001111"])
    post = mail_route(smtp.port)
    for route in (ding, literal, wec, post):
        captured += [repr(route), str(route), repr(route.settings)]
    captured += [dingtalk.preview(notice(), ding), dingtalk.preview(notice(), literal),
                 wecom.preview(notice(), wec), mail.preview(notice(), post, html=HTML)]
    # Failures of every kind, whose reasons are shown to a clerk.
    robots.script("dingtalk", DING_TOKEN, status(503), close(), error(310000, f"sign not match {DING_SECRET}"))
    robots.script("wecom", WECOM_KEY, error(45009, f"api freq out of limit key={WECOM_KEY}"), status(500), close())
    transport = fast_transport(clock)
    for send, route in ((dingtalk.send, ding), (dingtalk.send, literal), (wecom.send, wec)):
        delivery = send(notice(), route, transport)
        captured += [repr(delivery), str(delivery)]
    captured.append(str(mail.send(notice(), post, transport, html=HTML)))
    bad_password = mail.route(["a@example.org"], store(SMTP_PASSWORD="wrong-pw-77cc"), where=WHERE, server={
        "host": "127.0.0.1", "port": smtp.port, "security": "none", "sender": "a@example.org",
        "user": "duban", "password": "${SMTP_PASSWORD}"})
    captured.append(repr(bad_password))
    captured.append(str(mail.send(notice(), bad_password, transport)))
    # Configuration errors with secrets about.
    for call in (
        lambda: dingtalk.route({"webhook": f"http://10.0.0.1/robot/send?access_token={DING_TOKEN}"},
                               store(), where=WHERE),
        lambda: dingtalk.route({"webhook": "https://h/?access_token=${DING_TOKEN}", "at_mobiles": ["x"]},
                               store(), where=WHERE),
        lambda: mail.route(["a@example.org"], store(), where=WHERE, server={
            "host": "smtp.example.org", "security": "none", "sender": "a@example.org", "user": "u",
            "password": "${SMTP_PASSWORD}"}),
    ):
        with pytest.raises(FupinError) as caught:
            call()
        captured += [str(caught.value), repr(caught.value)]
    out, err = capsys.readouterr()
    captured += [out, err, caplog.text]
    everything = "\n".join(captured)
    assert "***" in everything and "重试" in caplog.text
    signs = [r.query["sign"] for r in robots.requests if "sign" in r.query]
    assert signs
    for secret in (DING_TOKEN, DING_SECRET, WECOM_KEY, SMTP_PASSWORD, "literal-token-55aa", "SEC-literal-66bb",
                   "wrong-pw-77cc", *signs):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            assert form not in everything, form

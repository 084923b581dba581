"""``fupin remind`` end to end: real robots and a real SMTP server on 127.0.0.1, the real journal.

The data folder routes 甲局 to its own DingTalk robot and mailbox, every other unit to the
plan-wide default WeCom robot, and escalation to a leader mailbox.  Secrets are ``${…}``
placeholders filled from the environment or a 0600 secrets file.
"""

from __future__ import annotations

import json
import os
import textwrap
import time

import pytest

pytest.register_assert_rewrite("support")
from support.clock import FakeClock  # noqa: E402
from support.loopback import RobotServer, close, error, hang, status  # noqa: E402
from support.plans import UNITS, plan_folder  # noqa: E402

pytest_plugins = ["support.loopback"]

DING_TOKEN = "dtok-9a8b7c6d5e"
DING_SECRET = "SECz9y8+x7w6/v5u4=t3"
WECOM_KEY = "wkey-5e4d3c2b-1a09"
SMTP_PASSWORD = "s3cret-PW!"  # the smtp fixture's password for user duban
SECRETS = (DING_TOKEN, DING_SECRET, WECOM_KEY, SMTP_PASSWORD)

TASKS = """
- {id: "1", text: 报送低保月报, units: [甲局], deadline: 2018年7月10日前}
- {id: "2", text: 开展危房改造, units: [乙局], deadline: 2018年7月20日前}
- {id: "3", text: 落实教育补助, units: [各区], deadline: 2018年5月31日前}
- {id: "4", text: 完成危房台账, units: [甲局], deadline: 2018年6月30日前}
- {id: "5", text: 年底总结, units: [乙局], deadline: 2018年12月31日前}
"""
AS_OF = "2018-07-16"


def units_yaml(robots, smtp_port, *, leader=True, extra_units="") -> str:
    ding = robots.dingtalk(DING_TOKEN, secret=DING_SECRET).replace(DING_TOKEN, "${DING_TOKEN}")
    wecom = robots.wecom(WECOM_KEY).replace(WECOM_KEY, "${WECOM_KEY}")
    head = textwrap.dedent(f"""\
        remind:
          mail: {{host: 127.0.0.1, port: {smtp_port}, security: none, sender: 市督查室 <duban@example.org>,
                  user: duban, password: "${{SMTP_PASSWORD}}"}}
          default:
            wecom: {{webhook: "{wecom}"}}
        """)
    if leader:
        head += "  leader:\n    email: [leader@example.org]\n"
    units = UNITS.replace(
        "  - {name: 甲局, kind: 市直单位, aliases: [甲]}\n",
        "  - name: 甲局\n    kind: 市直单位\n    aliases: [甲]\n    remind:\n"
        f"      dingtalk: {{webhook: \"{ding}\", secret: \"${{DING_SECRET}}\", at_mobiles: [13800001111]}}\n"
        "      email: [jia@example.org]\n")
    return head + units + extra_units


@pytest.fixture
def folder(tmp_path, robots, smtp, monkeypatch):
    monkeypatch.setenv("DING_TOKEN", DING_TOKEN)
    monkeypatch.setenv("WECOM_KEY", WECOM_KEY)
    # Two of the secrets come from a 0600 secrets file, as on a server.
    secrets = tmp_path / "secrets.env"
    secrets.write_text(f"DING_SECRET={DING_SECRET}\nSMTP_PASSWORD='{SMTP_PASSWORD}'\n", encoding="utf-8")
    secrets.chmod(0o600)
    monkeypatch.setenv("FUPIN_SECRETS", str(secrets))
    return plan_folder(tmp_path / "data", TASKS, units=units_yaml(robots, smtp.port))


@pytest.fixture
def fake_clock(monkeypatch):
    """Sending paced and retried on a fake clock: backoffs and pacing waits cost no real time."""
    from fupin_cli.channels import Transport
    from fupin_cli.cli.commands import remind

    clock = FakeClock(time.time())
    monkeypatch.setattr(remind, "make_transport", lambda timeout: Transport(clock=clock, timeout=timeout))
    return clock


def remind(fupin, folder, *args):
    return fupin("remind", "--data", str(folder), "--as-of", AS_OF, *args)


def journal_lines(tmp_path) -> list[dict]:
    path = tmp_path / "journal.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def remind_entries(tmp_path) -> list[tuple]:
    return [(e["unit"], e["channel"], e["route"], tuple((i["task"], i["period"]) for i in e["items"]), e["date"])
            for e in journal_lines(tmp_path) if e["op"] == "remind"]


DING_TEXT = (
    "#### 督办提醒\n\n**甲局** · 测试清单 · 截至 2018-07-16\n\n"
    "**已逾期 2 项**\n"
    "- 4（2018-06-30） 完成危房台账：逾期 14 天，应于 2018-07-02 完成\n"
    "- 1（2018-07-10） 报送低保月报：逾期 6 天，应于 2018-07-10 完成\n\n"
    "@13800001111")


def test_each_unit_is_reminded_on_its_own_route_or_the_default_and_each_delivery_is_recorded(
        fupin, folder, robots, smtp, tmp_path, fake_clock):
    result = remind(fupin, folder)
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "甲局 · 钉钉：已送达（1 条消息）",
        "甲局 · 邮件：已送达（1 条消息）",
        "乙局 · 企业微信：已送达（1 条消息）",
        "东区 · 企业微信：已送达（1 条消息）",
        "西区 · 企业微信：已送达（1 条消息）",
    ]
    assert result.err == f"催办：4 个单位全部送达；台账 {tmp_path / 'journal.jsonl'} 记入 5 次送达\n"
    # 甲局's own robot: signed, overdue items oldest first, the mention at the end.
    [ding] = robots.to("dingtalk", DING_TOKEN)
    assert ding.answer == "ok" and ding.problems == []
    assert ding.body == {"msgtype": "markdown", "markdown": {"title": "督办提醒：甲局", "text": DING_TEXT},
                         "at": {"atMobiles": ["13800001111"], "isAtAll": False}}
    # Everyone else through the default robot; 乙局's year-end task is not due within 14 days.
    wecom = robots.to("wecom", WECOM_KEY)
    assert [r.body["markdown"]["content"] for r in wecom] == [
        "#### 督办提醒\n\n**乙局** · 测试清单 · 截至 2018-07-16\n\n"
        "**即将到期 1 项**\n- 2（2018-07-20） 开展危房改造：还有 4 天到期，2018-07-20 截止",
        "#### 督办提醒\n\n**东区** · 测试清单 · 截至 2018-07-16\n\n"
        "**已逾期 1 项**\n- 3（2018-05-31） 落实教育补助：逾期 46 天，应于 2018-05-31 完成",
        "#### 督办提醒\n\n**西区** · 测试清单 · 截至 2018-07-16\n\n"
        "**已逾期 1 项**\n- 3（2018-05-31） 落实教育补助：逾期 46 天，应于 2018-05-31 完成",
    ]
    # One mail to 甲局, plain text and the notice as HTML.
    [mail] = smtp.messages
    assert smtp.logins == [("duban", SMTP_PASSWORD)]
    assert mail["To"] == "jia@example.org" and mail["Subject"] == "督办提醒：甲局"
    plain = mail.get_body(("plain",)).get_content()
    assert plain.splitlines()[3:5] == ["已逾期 2 项", "  1. 4（2018-06-30） 完成危房台账：逾期 14 天，应于 2018-07-02 完成"]
    html = mail.get_body(("html",)).get_content()
    assert "督办通知单（甲局）" in html and "完成危房台账" in html
    assert remind_entries(tmp_path) == [
        ("甲局", "dingtalk", "unit", (("4", "2018-06-30"), ("1", "2018-07-10")), AS_OF),
        ("甲局", "email", "unit", (("4", "2018-06-30"), ("1", "2018-07-10")), AS_OF),
        ("乙局", "wecom", "default", (("2", "2018-07-20"),), AS_OF),
        ("东区", "wecom", "default", (("3", "2018-05-31"),), AS_OF),
        ("西区", "wecom", "default", (("3", "2018-05-31"),), AS_OF),
    ]
    line = journal_lines(tmp_path)[0]
    assert list(line) == ["id", "op", "plan", "unit", "channel", "route", "items", "date", "recorded_at", "by", "note"]
    assert line["plan"] == "tasks" and line["note"] == ""
    # The journal says what happened in words, and the completions are untouched.
    journal = fupin("journal", "--data", str(folder), "--format", "json").json()
    assert [(r["op"], r["unit"]) for r in journal] == [("remind", u) for u in ("甲局", "甲局", "乙局", "东区", "西区")]
    check = fupin("check", "--data", str(folder))
    assert check.code == 0, check.out + check.err


def test_unit_and_channel_narrow_the_run(fupin, folder, robots, smtp, tmp_path, fake_clock):
    result = remind(fupin, folder, "--unit", "各区", "--channel", "wecom")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["东区 · 企业微信：已送达（1 条消息）", "西区 · 企业微信：已送达（1 条消息）"]
    assert robots.to("dingtalk", DING_TOKEN) == [] and smtp.messages == []
    result = remind(fupin, folder, "--unit", "甲局", "--channel", "email")
    assert result.out.splitlines() == ["甲局 · 邮件：已送达（1 条消息）"]
    result = remind(fupin, folder, "--unit", "乙局", "--channel", "dingtalk")
    assert result.code == 0
    assert result.err.splitlines()[0] == "提示：这些单位没有所选渠道，本次未催办：乙局"
    assert [(u, c) for u, c, *_ in remind_entries(tmp_path)] == [("东区", "wecom"), ("西区", "wecom"), ("甲局", "email")]


def test_dry_run_shows_every_message_and_sends_and_records_nothing(fupin, folder, robots, smtp, tmp_path):
    result = remind(fupin, folder, "--dry-run")
    assert result.code == 0, result.err
    assert robots.requests == [] and smtp.envelopes == []
    assert not (tmp_path / "journal.jsonl").exists()
    assert result.err == "试运行：将向 4 个单位发送 5 份（未发送，未记入台账）\n"
    out = result.out
    assert out.startswith("钉钉机器人 · 甲局 · 1 条消息\n"
                          f"POST http://127.0.0.1:{robots.port}/robot/send?access_token=***"
                          "&timestamp=<发送时的毫秒时间戳>&sign=***\n── 第 1/1 条 ──\n")
    assert json.dumps(DING_TEXT, ensure_ascii=False) in out
    assert "邮件 · 甲局 · 1 封\n" in out and "To: jia@example.org\n" in out and "以 duban 登录（密码 ***）" in out
    assert out.count("企业微信机器人 · ") == 3 and "key=***" in out
    for secret in SECRETS:
        assert secret not in out + result.err


def test_nothing_to_say_sends_nothing(fupin, folder, robots, smtp, tmp_path):
    result = fupin("remind", "--data", str(folder), "--as-of", "2018-03-01")
    assert result.code == 0
    assert result.err == "截至 2018-03-01 没有需要催办的事项（没有逾期、14 天内到期或进展报送逾期的未完成事项），未发送\n"
    assert robots.requests == [] and smtp.envelopes == [] and remind_entries(tmp_path) == []


def test_a_unit_nobody_can_reach_is_a_failure(fupin, tmp_path, robots, smtp, monkeypatch):
    folder = plan_folder(tmp_path / "bare", TASKS)  # no remind: at all
    result = fupin("remind", "--data", str(folder), "--as-of", AS_OF)
    assert result.code == 1
    assert result.err == ("错误：4 个单位有要催办的事项，但 units.yaml 没有为其设置催办渠道（remind:，也没有 "
                          "remind.default），未催办：甲局、乙局、东区、西区\n"
                          "催办：0 个单位全部送达；台账 " + str(tmp_path / "journal.jsonl") + " 记入 0 次送达\n")


def test_retries_then_give_up_exit_1_and_nothing_recorded_for_the_failed_send(
        fupin, folder, robots, smtp, tmp_path, fake_clock):
    robots.script("dingtalk", DING_TOKEN, status(503), status(503), status(503))
    result = remind(fupin, folder)
    assert result.code == 1
    assert [r.answer for r in robots.to("dingtalk", DING_TOKEN)] == ["HTTP 503"] * 3
    assert fake_clock.sleeps == [1.0, 2.0]  # backoff, bounded
    assert "错误：甲局 · 钉钉：未送达（已发出 0/1 条，共尝试 3 次；127.0.0.1 答复 HTTP 503）" in result.err.splitlines()
    assert result.err.splitlines()[-1] == ("催办：3 个单位全部送达，1 个单位未能全部送达：甲局；台账 "
                                           f"{tmp_path / 'journal.jsonl'} 记入 4 次送达")
    assert [(u, c) for u, c, *_ in remind_entries(tmp_path)] == [
        ("甲局", "email"), ("乙局", "wecom"), ("东区", "wecom"), ("西区", "wecom")]


def test_a_robot_that_failed_is_not_tried_again_for_the_next_units(fupin, folder, robots, smtp, tmp_path, fake_clock):
    robots.script("wecom", WECOM_KEY, close(), close(), close())
    result = remind(fupin, folder)
    assert result.code == 1
    assert [r.answer for r in robots.to("wecom", WECOM_KEY)] == ["close"] * 3  # 乙局's tries, none for 东区, 西区
    errors = [line for line in result.err.splitlines() if line.startswith("错误：")]
    assert errors == [
        "错误：乙局 · 企业微信：未送达（已发出 0/1 条，共尝试 3 次；127.0.0.1 没有回应就关闭了连接）",
        "错误：东区 · 企业微信：未送达（127.0.0.1 没有回应就关闭了连接（本次运行中前面已送达失败，未再尝试））",
        "错误：西区 · 企业微信：未送达（127.0.0.1 没有回应就关闭了连接（本次运行中前面已送达失败，未再尝试））",
    ]
    assert [(u, c) for u, c, *_ in remind_entries(tmp_path)] == [("甲局", "dingtalk"), ("甲局", "email")]


def test_a_hanging_robot_costs_the_timeout_not_minutes(fupin, folder, robots, smtp, tmp_path, fake_clock):
    robots.script("dingtalk", DING_TOKEN, hang(), hang(), hang())
    started = time.monotonic()
    result = remind(fupin, folder, "--timeout", "1", "--unit", "甲局", "--channel", "dingtalk")
    assert time.monotonic() - started < 10
    assert result.code == 1
    assert "错误：甲局 · 钉钉：未送达（已发出 0/1 条，共尝试 3 次；等待 127.0.0.1 回应超过 1 秒）" in result.err
    assert remind_entries(tmp_path) == []


def test_a_robot_error_code_is_a_failure_and_not_retried(fupin, folder, robots, smtp, tmp_path, fake_clock):
    robots.script("wecom", WECOM_KEY, error(93000, "invalid webhook url"))
    result = remind(fupin, folder, "--unit", "乙局")
    assert result.code == 1
    assert "错误：乙局 · 企业微信：未送达（已发出 0/1 条，共尝试 1 次；企业微信拒收：errcode 93000：invalid webhook url）" \
        in result.err.splitlines()
    assert remind_entries(tmp_path) == []


def test_more_than_20_units_on_one_robot_are_paced_not_refused(fupin, tmp_path, smtp, monkeypatch):
    """25 units through the default DingTalk robot: the 21st waits for the minute, none is refused."""
    from fupin_cli.channels import Transport
    from fupin_cli.cli.commands import remind as command

    clock = FakeClock(time.time())
    server = RobotServer(wall=clock.wall).start()  # the robot's minute is the fake clock's minute
    try:
        monkeypatch.setattr(command, "make_transport", lambda timeout: Transport(clock=clock, timeout=timeout))
        monkeypatch.setenv("DING_TOKEN", DING_TOKEN)
        url = server.dingtalk(DING_TOKEN).replace(DING_TOKEN, "${DING_TOKEN}")
        names = [f"第{n:02d}局" for n in range(1, 26)]
        units = ("remind:\n  default:\n    dingtalk: {webhook: \"" + url + "\"}\nunits:\n"
                 + "".join(f"  - {{name: {name}, kind: 市直单位}}\n" for name in names))
        tasks = "- {id: \"1\", text: 报送月报, units: [" + ", ".join(names) + "], deadline: 2018年7月10日前}"
        folder = plan_folder(tmp_path / "many", tasks, units=units)
        result = fupin("remind", "--data", str(folder), "--as-of", AS_OF)
        assert result.code == 0, result.err
        assert [r.answer for r in server.requests] == ["ok"] * 25
        assert clock.sleeps == [60.0]
        assert sum(r.at < clock.wall_start + 60 for r in server.requests) == 20
        assert len(remind_entries(tmp_path)) == 25
    finally:
        server.stop()


def test_a_long_notice_goes_to_wecom_in_marked_pieces_and_is_recorded_once(fupin, tmp_path, robots, smtp,
                                                                          monkeypatch, fake_clock):
    monkeypatch.setenv("WECOM_KEY", WECOM_KEY)
    url = robots.wecom(WECOM_KEY).replace(WECOM_KEY, "${WECOM_KEY}")
    units = "remind:\n  default:\n    wecom: {webhook: \"" + url + "\"}\n" + UNITS
    tasks = "\n".join(f"- {{id: \"{n}\", text: {chr(0x4E00 + n) * 300}, units: [乙局], deadline: 2018年7月{n}日前}}"
                      for n in range(1, 11))
    folder = plan_folder(tmp_path / "long", tasks, units=units)
    result = fupin("remind", "--data", str(folder), "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert result.out == "乙局 · 企业微信：已送达（3 条消息）\n"
    contents = [r.body["markdown"]["content"] for r in robots.requests]
    assert [c.splitlines()[0] for c in contents] == ["#### 督办提醒（1/3）", "#### 督办提醒（2/3）", "#### 督办提醒（3/3）"]
    assert all(len(c.encode("utf-8")) <= 4096 for c in contents)
    # Oldest first: the 1st's item leads, the 10th's ends; each item whole in exactly one piece.
    whole = "".join(contents)
    assert [whole.count(f"- {n}（2018-07-{n:02d}） ") for n in range(1, 11)] == [1] * 10
    assert whole.index("- 1（2018-07-01）") < whole.index("- 10（2018-07-10）")
    [entry] = remind_entries(tmp_path)
    assert entry[3] == tuple((str(n), f"2018-07-{n:02d}") for n in range(1, 11))


def test_escalation_adds_the_leader_route_once_an_item_was_chased_n_times(fupin, folder, robots, smtp, tmp_path,
                                                                         fake_clock):
    for day in ("2018-07-12", "2018-07-13", "2018-07-13"):  # two days: two chases (a second run is not one)
        assert fupin("remind", "--data", str(folder), "--as-of", day, "--unit", "甲局", "--channel",
                     "dingtalk").code == 0
    tasks = folder / "tasks.yaml"  # a new task, due soon: not chased yet, so not the leader's
    tasks.write_text(tasks.read_text(encoding="utf-8")
                     + '  - {id: "6", text: 新增任务, units: [甲局], deadline: 2018年7月28日前}\n', encoding="utf-8")
    result = remind(fupin, folder, "--escalate-after", "2", "--unit", "甲局")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["甲局 · 钉钉：已送达（1 条消息）", "甲局 · 邮件：已送达（1 条消息）",
                                       "甲局 · 邮件（领导）：已送达（1 条消息）"]
    text = robots.to("dingtalk", DING_TOKEN)[-1].body["markdown"]["text"]
    # Task 4 was overdue on the 12th and the 13th; task 1 fell due on the 10th: chased on both days too.
    assert "- 4（2018-06-30） 完成危房台账：逾期 14 天，应于 2018-07-02 完成，已催办 2 次" in text
    leader = smtp.messages[-1]
    assert leader["To"] == "leader@example.org"
    assert leader["Subject"] == "督办提醒（多次催办未办结，报领导）：甲局"
    plain = leader.get_body(("plain",)).get_content()
    assert "已催办 2 次" in plain and "新增任务" not in plain
    leader_html = leader.get_body(("html",)).get_content()
    assert "完成危房台账" in leader_html and "报送低保月报" in leader_html and "新增任务" not in leader_html
    unit_mail = smtp.messages[-2]
    assert unit_mail["To"] == "jia@example.org" and "新增任务" in unit_mail.get_body(("html",)).get_content()
    assert remind_entries(tmp_path)[-1] == ("甲局", "email", "leader", (("4", "2018-06-30"), ("1", "2018-07-10")), AS_OF)
    # Below the threshold nobody is escalated.
    result = fupin("remind", "--data", str(folder), "--as-of", "2018-07-17", "--escalate-after", "9", "--dry-run")
    assert "（领导）" not in result.out and "leader@example.org" not in result.out


def test_escalation_without_a_leader_route_says_so(fupin, tmp_path, robots, smtp, monkeypatch, fake_clock):
    monkeypatch.setenv("DING_TOKEN", DING_TOKEN)
    monkeypatch.setenv("WECOM_KEY", WECOM_KEY)
    monkeypatch.setenv("DING_SECRET", DING_SECRET)
    monkeypatch.setenv("SMTP_PASSWORD", SMTP_PASSWORD)
    folder = plan_folder(tmp_path / "noleader", TASKS, units=units_yaml(robots, smtp.port, leader=False))
    assert fupin("remind", "--data", str(folder), "--as-of", "2018-07-13", "--unit", "东区").code == 0
    result = fupin("remind", "--data", str(folder), "--as-of", AS_OF, "--unit", "东区", "--escalate-after", "1")
    assert result.code == 0
    assert result.err.splitlines()[0] == (
        "提示：这些单位有事项已达 --escalate-after 的催办次数，但没有 leader 渠道（单位的 remind.leader 或 "
        "remind.leader），只发给了单位本身：东区")


def test_test_sends_one_harmless_message_per_route_and_records_nothing(fupin, folder, robots, smtp, tmp_path,
                                                                      fake_clock):
    result = remind(fupin, folder, "--test", "--unit", "甲")
    assert result.code == 0, result.err
    assert result.out.splitlines() == ["甲局 · 钉钉：已送达（1 条消息）", "甲局 · 邮件：已送达（1 条消息）",
                                       "甲局 · 邮件（领导）：已送达（1 条消息）"]
    assert result.err == "测试消息：1 个单位全部送达\n"
    [ding] = robots.requests
    assert ding.body["markdown"] == {"title": "催办渠道测试：甲局", "text": (
        "#### 催办渠道测试\n\n**甲局** · 测试清单 · 截至 2018-07-16\n\n（没有需要催办的事项）\n\n@13800001111")}
    assert [m["To"] for m in smtp.messages] == ["jia@example.org", "leader@example.org"]
    assert remind_entries(tmp_path) == []
    refused = fupin("remind", "--data", str(folder), "--test")
    assert (refused.code, refused.err) == (2, "错误：--test 需要用 --unit 指定测试哪个单位的渠道\n")


def test_secrets_never_appear_in_any_output_or_any_file_the_run_wrote(fupin, folder, robots, smtp, tmp_path,
                                                                     fake_clock):
    robots.script("wecom", WECOM_KEY, status(503), status(503), status(503))
    outputs = []
    for args in (("--dry-run",), (), ("--test", "--unit", "甲局"), ("--escalate-after", "1")):
        result = remind(fupin, folder, *args)
        outputs += [result.out, result.err]
    outputs.append(fupin("info", "--data", str(folder)).out)
    outputs.append(fupin("check", "--data", str(folder)).out)
    written = [path for path in tmp_path.rglob("*") if path.is_file() and path.name != "secrets.env"
               and path.parent != folder]
    assert tmp_path / "journal.jsonl" in written
    for secret in SECRETS:
        for text in outputs:
            assert secret not in text
        for path in written:
            assert secret.encode() not in path.read_bytes(), path
    # The units.yaml holds placeholders only.
    assert all(secret not in (folder / "units.yaml").read_text(encoding="utf-8") for secret in SECRETS)


@pytest.mark.parametrize("units, message", [
    ("remind:\n  default: [x]\n", "remind.default 应该是键值映射（dingtalk、wecom、email），不是列表"),
    ("remind:\n  defualt: {}\n", "remind 里有不认识的键 defualt；可用的键：title、mail、default、leader"),
    ("remind:\n  default:\n    dingtalk: {webhook: \"http://example.org/robot/send?access_token=x\"}\n",
     "remind.default 的 dingtalk.webhook：必须用 https（明文 http 会泄露机器人的令牌）"),
    ("remind:\n  default:\n    email: [a@example.org]\n",
     "remind.default 写了 email，但 units.yaml 的 remind 里没有 mail（邮件服务器）设置"),
    ("remind:\n  default:\n    wecom: {webhook: \"https://q.example.org/send?key=${NO_SUCH_KEY}\"}\n",
     "找不到占位符 ${NO_SUCH_KEY} 的值"),
])
def test_bad_routes_are_refused_before_anything_is_sent(fupin, tmp_path, units, message):
    folder = plan_folder(tmp_path / "bad", TASKS, units=units + UNITS)
    result = fupin("remind", "--data", str(folder), "--as-of", AS_OF)
    assert result.code == 2
    assert message in result.err and result.err.startswith("错误：")
    assert not (tmp_path / "journal.jsonl").exists()


def test_a_secrets_file_others_can_read_is_refused(fupin, folder, tmp_path, robots):
    os.chmod(tmp_path / "secrets.env", 0o644)
    result = remind(fupin, folder, "--dry-run")
    assert result.code == 2
    assert result.err == (f"错误：密钥文件 {tmp_path / 'secrets.env'} 的权限是 0644，同组或其他用户也能读写；"
                          f"请执行 chmod 600 {tmp_path / 'secrets.env'}\n")
    assert robots.requests == []


def test_show_and_the_weekly_report_count_the_chases(fupin, folder, robots, smtp, tmp_path, fake_clock):
    for day in ("2018-07-12", "2018-07-13", AS_OF):
        assert fupin("remind", "--data", str(folder), "--as-of", day, "--unit", "甲局").code == 0
    assert fupin("remind", "--data", str(folder), "--as-of", AS_OF, "--unit", "各区").code == 0
    shown = fupin("show", "4", "--data", str(folder), "--format", "json").json()
    assert shown["reminders"] == [{"unit": "甲局", "count": 3, "last": AS_OF}]
    # Each 催办 is in the task's timeline, as delivered (one line per channel that carried it).
    reminded = [(line["op"], line["unit"], line["period"], line["detail"]) for line in shown["timeline"]]
    assert reminded == [("remind", "甲局", "2018-06-30", f"{channel}送达，{day} 的催办")
                        for day in ("2018-07-12", "2018-07-13", AS_OF) for channel in ("钉钉", "邮件")]
    text = fupin("show", "3", "--data", str(folder), "--format", "markdown").out
    assert "| 催办 | 东区 1 次（最近 2018-07-16）、西区 1 次（最近 2018-07-16） |" in text
    west = fupin("show", "3", "--unit", "西区", "--data", str(folder), "--format", "json").json()
    assert west["reminders"] == [{"unit": "西区", "count": 1, "last": AS_OF}]
    earlier = fupin("show", "4", "--as-of", "2018-07-13", "--data", str(folder), "--format", "json").json()
    assert earlier["reminders"] == [{"unit": "甲局", "count": 2, "last": "2018-07-13"}]
    assert "reminders" not in fupin("show", "2", "--data", str(folder), "--format", "json").json()
    weekly = fupin("report", "weekly", "--data", str(folder), "--as-of", AS_OF, "--format", "json").json()
    assert weekly["reminders"] == [
        {"unit": "甲局", "task": "1", "period": "2018-07-10", "count": 3, "plan": "tasks"},
        {"unit": "甲局", "task": "4", "period": "2018-06-30", "count": 3, "plan": "tasks"},
        {"unit": "东区", "task": "3", "period": "2018-05-31", "count": 1, "plan": "tasks"},
        {"unit": "西区", "task": "3", "period": "2018-05-31", "count": 1, "plan": "tasks"},
    ]
    # As the report stood on the 13th: two chases of 甲局's items, none yet of the districts'.
    before = fupin("report", "weekly", "--data", str(folder), "--as-of", "2018-07-13", "--format", "json").json()
    assert [(r["task"], r["count"]) for r in before["reminders"]] == [("1", 2), ("4", 2)]
    printed = fupin("report", "weekly", "--data", str(folder), "--as-of", AS_OF, "--format", "markdown").out
    section = printed.split("逾期事项催办情况（4 项）", 1)[1]
    assert "| 甲局 | 1 | 报送低保月报 | 2018-07-10 | 催办 3 次 |" in section
    assert "| 西区 | 3 | 落实教育补助 | 2018-05-31 | 催办 1 次 |" in section
    # Without reminders in the journal the report is as it always was.
    other = plan_folder(tmp_path / "quiet", TASKS)
    quiet = fupin("report", "weekly", "--data", str(other), "--journal", str(tmp_path / "quiet.jsonl"),
                  "--as-of", AS_OF, "--format", "json").json()
    assert "reminders" not in quiet


def test_check_validates_the_routes_and_names_missing_secrets_without_values(fupin, folder, tmp_path, monkeypatch):
    assert fupin("check", "--data", str(folder)).code == 0
    monkeypatch.delenv("WECOM_KEY")
    result = fupin("check", "--data", str(folder))
    assert result.code == 0
    assert f"提示：{folder / 'units.yaml'}:5 remind.default 的 wecom.webhook：占位符 ${{WECOM_KEY}} 在当前环境中没有值" \
        in result.out
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace("email: [jia@example.org]", "email: [not-an-address]"),
                     encoding="utf-8")
    result = fupin("check", "--data", str(folder))
    assert result.code == 1
    assert f"错误：{units}:14 甲局 的 remind 的 email 第 1 项 not-an-address 不是邮件地址" in result.out.splitlines()
    assert all(secret not in result.out + result.err for secret in SECRETS)


def test_a_folder_of_two_lists_names_tasks_by_list_and_records_one_entry_per_list(
        fupin, folder, robots, smtp, tmp_path, fake_clock):
    from support.plans import add_plan

    add_plan(folder, "专项", '- {id: "1", text: 整改问题, units: [甲局], deadline: 2018年7月5日前}', title="专项整改清单")
    result = remind(fupin, folder, "--unit", "甲局", "--channel", "dingtalk")
    assert result.code == 0, result.err
    text = robots.requests[-1].body["markdown"]["text"]
    assert text.splitlines()[2] == "**甲局** · 测试清单、专项整改清单 · 截至 2018-07-16"
    assert text.splitlines()[4:8] == ["**已逾期 3 项**",
                                      "- tasks:4（2018-06-30） 完成危房台账：逾期 14 天，应于 2018-07-02 完成",
                                      "- 专项:1（2018-07-05） 整改问题：逾期 11 天，应于 2018-07-05 完成",
                                      "- tasks:1（2018-07-10） 报送低保月报：逾期 6 天，应于 2018-07-10 完成"]
    lines = [e for e in journal_lines(tmp_path) if e["op"] == "remind"]
    assert [(e["plan"], [i["task"] for i in e["items"]]) for e in lines] == [("tasks", ["4", "1"]), ("专项", ["1"])]
    assert len({e["id"] for e in lines}) == 2
    shown = fupin("show", "专项:1", "--data", str(folder), "--format", "json").json()
    assert shown["reminders"] == [{"unit": "甲局", "count": 1, "last": AS_OF}]
    assert fupin("show", "tasks:2", "--data", str(folder), "--format", "json").json().get("reminders") is None


def test_members_of_a_group_with_routes_use_the_groups_routes(fupin, folder, robots, smtp, tmp_path, fake_clock,
                                                              monkeypatch):
    monkeypatch.setenv("DISTRICT_KEY", "district-key-77")
    url = robots.wecom("district-key-77").replace("district-key-77", "${DISTRICT_KEY}")
    units = folder / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8").replace(
        "  - {name: 各区, kind: 区县, members: [东区, 西区]}\n",
        "  - name: 各区\n    kind: 区县\n    members: [东区, 西区]\n"
        f"    remind:\n      wecom: {{webhook: \"{url}\"}}\n      leader:\n        email: [qu-boss@example.org]\n"),
        encoding="utf-8")
    result = remind(fupin, folder, "--unit", "各区", "--escalate-after", "1")
    assert result.code == 0, result.err
    assert [r.body["markdown"]["content"].splitlines()[2] for r in robots.to("wecom", "district-key-77")] == [
        "**东区** · 测试清单 · 截至 2018-07-16", "**西区** · 测试清单 · 截至 2018-07-16"]
    assert robots.to("wecom", WECOM_KEY) == []
    assert [(u, c, r) for u, c, r, *_ in remind_entries(tmp_path)] == [("东区", "wecom", "group"), ("西区", "wecom", "group")]
    again = fupin("remind", "--data", str(folder), "--as-of", "2018-07-17", "--unit", "东区", "--escalate-after", "1")
    assert again.out.splitlines() == ["东区 · 企业微信：已送达（1 条消息）", "东区 · 邮件（领导）：已送达（1 条消息）"]
    assert smtp.messages[-1]["To"] == "qu-boss@example.org"


def test_a_late_progress_report_is_asked_for_under_its_own_heading(fupin, tmp_path, robots, smtp, monkeypatch,
                                                                    fake_clock):
    monkeypatch.setenv("DING_TOKEN", DING_TOKEN)
    monkeypatch.setenv("WECOM_KEY", WECOM_KEY)
    monkeypatch.setenv("DING_SECRET", DING_SECRET)
    monkeypatch.setenv("SMTP_PASSWORD", SMTP_PASSWORD)
    folder = plan_folder(tmp_path / "cycle", """
    - {id: "1", text: 完成普查, units: [甲局], deadline: 2018年9月30日前, progress_every: month}
    """, units=units_yaml(robots, smtp.port, leader=False))
    progress = fupin("progress", "1", "--unit", "甲局", "--done", "入户一半", "--date", "2018-06-01",
                     "--data", str(folder), "--as-of", "2018-06-01")
    assert progress.code == 0, progress.err
    result = fupin("remind", "--data", str(folder), "--as-of", AS_OF, "--channel", "dingtalk")
    assert result.code == 0, result.err
    [ding] = robots.to("dingtalk", DING_TOKEN)
    assert ding.body["markdown"]["text"] == (
        "#### 督办提醒\n\n**甲局** · 测试清单 · 截至 2018-07-16\n\n"
        "**待报送进展 1 项**\n"
        "- 1（2018-09-30） 完成普查：进展报送已逾期 15 天，2018-07-01 前报送\n\n"
        "@13800001111")
    assert remind_entries(tmp_path) == [("甲局", "dingtalk", "unit", (("1", "2018-09-30"),), "2018-07-16")]


@pytest.mark.parametrize("day, why", [("2018-07-14", "a Saturday"), ("2018-10-03", "National Day holiday")])
def test_workdays_only_sends_nothing_on_a_day_off(fupin, folder, robots, smtp, tmp_path, day, why):
    result = fupin("remind", "--data", str(folder), "--as-of", day, "--workdays-only")
    assert result.code == 0, why
    assert result.out == ""
    assert result.err == f"今天（{day}）不是法定工作日，按 --workdays-only 不催办\n"
    assert robots.requests == [] and smtp.envelopes == [] and remind_entries(tmp_path) == []


def test_workdays_only_sends_on_a_make_up_workday(fupin, folder, robots, smtp, tmp_path, fake_clock):
    # 2018-09-29, a Saturday, was an official workday (调休 for National Day).
    result = fupin("remind", "--data", str(folder), "--as-of", "2018-09-29", "--workdays-only", "--channel", "wecom")
    assert result.code == 0, result.err
    assert [r.path.split("?")[0] for r in robots.requests] == ["/cgi-bin/webhook/send"] * 3

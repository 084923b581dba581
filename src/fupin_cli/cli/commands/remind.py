"""``fupin remind``: reminders (催办) to DingTalk and WeCom groups and by mail, recorded in the journal."""

import os
import sys
from typing import Annotated, Optional

import typer

from ...domain.errors import UsageError
from ..options import AsOfOpt, Choice, Count, DataOpt, JournalOpt, PlanOpt, UnitsOpt, context, units_of

CHANNEL_NAMES = ("dingtalk", "wecom", "email")
DEFAULT_TIMEOUT = 10
TIMEOUT_LIMIT = 60

ChannelOpt = Annotated[Optional[list[str]], typer.Option(
    "--channel", click_type=Choice(CHANNEL_NAMES, "渠道", {"dingtalk": "钉钉群机器人", "wecom": "企业微信群机器人",
                                                            "email": "邮件"}),
    show_default=False, help="只用这种渠道（可给多次）：dingtalk（钉钉）、wecom（企业微信）、email（邮件）；默认全部。")]


def make_transport(timeout: float):
    """The sending settings of a run (tests replace this to pace on a fake clock)."""
    from ...channels import Transport

    return Transport(timeout=timeout)


def _units_yaml(ctx):
    from ...plan_io.loader import UNITS_FILE, shipped_data_dir

    return (ctx.data_dir if ctx.data_dir is not None else shipped_data_dir()) / UNITS_FILE


def _say(text: str, *, err: bool = False) -> None:
    from ...domain.text import terminal_safe

    print(terminal_safe(text, keep_newlines=True), file=sys.stderr if err else sys.stdout)


def remind(
    unit: UnitsOpt = None,
    channel: ChannelOpt = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只显示每个渠道将发送的内容，不发送，也不记入台账。")] = False,
    test: Annotated[bool, typer.Option("--test", help="与 --unit 同用：向该单位的每个渠道发一条测试消息，检查能否送达（不记入台账）。")] = False,
    escalate_after: Annotated[Optional[int], typer.Option(
        "--escalate-after", click_type=Count(1, 1000, metavar="次数"), show_default=False,
        help="某事项已催办这么多次（1 到 1000）仍未完成时，同时发给该单位的 leader（领导）渠道。")] = None,
    timeout: Annotated[int, typer.Option(
        "--timeout", click_type=Count(1, TIMEOUT_LIMIT, metavar="秒"),
        help=f"等待机器人或邮件服务器回应的最长秒数（1 到 {TIMEOUT_LIMIT}），默认 {DEFAULT_TIMEOUT}；"
             f"失败的发送最多重试 2 次。")] = DEFAULT_TIMEOUT,
    workdays_only: Annotated[bool, typer.Option(
        "--workdays-only", help="只在法定工作日催办：今天是周末或节假日（含调休安排）时不发送，退出码 0；"
                                "cron 可每天运行。")] = False,
    as_of: AsOfOpt = None,
    plan_key: PlanOpt = None,
    data: DataOpt = None,
    journal: JournalOpt = None,
) -> None:
    """催办：把逾期和即将到期的事项发到各单位的钉钉群、企业微信群和邮箱，每次送达记入台账。Send reminders.

    渠道写在 units.yaml 的 remind: 中；没有要催办事项的单位不发送。有单位未送达时退出码为 1。
    例：fupin remind --dry-run --as-of 2018-07-16

    例：fupin remind --test --unit 市民政局

    例：fupin remind --escalate-after 3 --workdays-only
    """
    from ...app import reminding
    from ...channels import SecretStore
    from ..closing import finish_report

    ctx = context(data=data, journal=journal, as_of=as_of, plan=plan_key, reads_ledger=True)
    if test and escalate_after is not None:
        raise UsageError("--test 只发测试消息，不能与 --escalate-after 同用", subject="test")
    if workdays_only and not test and not ctx.timetable.calendar.is_workday(ctx.today):
        _say(f"今天（{ctx.today}）不是法定工作日，按 --workdays-only 不催办", err=True)
        return
    names = units_of(ctx, unit)
    if test and not names:
        raise UsageError("--test 需要用 --unit 指定测试哪个单位的渠道", subject="unit")
    units = ctx.plans.units
    leaves = list(dict.fromkeys(leaf for name in names for leaf in units.leaves(name)))
    settings = reminding.read_remind_settings(_units_yaml(ctx))
    store = SecretStore.from_environ(os.environ)
    channels = frozenset(channel) if channel else None
    plan = ctx.timetable.plan

    order = {name: index for index, name in enumerate(units)}

    def groups(name: str) -> list[str]:
        return sorted(units.groups_of(name), key=order.__getitem__)

    if test:
        planning = reminding.plan_route_tests(leaves, settings, store, plan.title, ctx.today, channels, groups)
    else:
        from ...reports.notice import unit_notices

        found = unit_notices(ctx.timetable, ctx.standing(), None, None)
        if leaves:
            wanted = set(leaves)
            found.notices = [n for n in found.notices if n.unit in wanted]
        days = reminding.journal_chase_days(ctx.store, ctx.folder_plans.first.key)
        reminders = reminding.unit_reminders(found, days, title=settings.title, plan_title=plan.title,
                                             several_plans=len(ctx.reported_plans) > 1,
                                             escalate_after=escalate_after)
        if not reminders:
            _say(f"截至 {ctx.today} 没有需要催办的事项（没有逾期、{found.within} 天内到期或进展报送逾期的未完成事项），"
                 f"未发送", err=True)
            finish_report(ctx)
            return
        planning = reminding.plan_messages(reminders, settings, store, channels,
                                           html=lambda r, keys: reminding.notice_html(found, r.report, keys),
                                           groups=groups)

    failed = _report_unsendable(planning, settings, bool(channels))
    if dry_run:
        for message in planning.messages:
            _say(message.preview())
        units_count = len({m.unit for m in planning.messages})
        _say(f"试运行：将向 {units_count} 个单位发送 {len(planning.messages)} 份（未发送，未记入台账）", err=True)
    else:
        failed |= _send(ctx, planning, timeout, record=not test)
    finish_report(ctx)
    if failed:
        raise typer.Exit(1)


def _report_unsendable(planning, settings, channel_given: bool) -> bool:
    """Say which units cannot be reached at all; whether that is a failure (exit 1)."""
    if planning.unrouted:
        where = "也没有 remind.default" if not settings.default else ""
        _say(f"错误：{len(planning.unrouted)} 个单位有要催办的事项，但 units.yaml 没有为其设置催办渠道"
             f"（remind:{'，' + where if where else ''}），未催办：{'、'.join(planning.unrouted)}", err=True)
    if planning.filtered and channel_given:
        _say(f"提示：这些单位没有所选渠道，本次未催办：{'、'.join(planning.filtered)}", err=True)
    if planning.no_leader:
        _say(f"提示：这些单位有事项已达 --escalate-after 的催办次数，但没有 leader 渠道（单位的 remind.leader 或 "
             f"remind.leader），只发给了单位本身：{'、'.join(planning.no_leader)}", err=True)
    return bool(planning.unrouted)


def _send(ctx, planning, timeout: int, *, record: bool) -> bool:
    """Send every planned message, record each that arrived; whether any failed."""
    from ...app.reminding import remind_records, send_all

    def write(message) -> None:
        for line in remind_records(message, day=ctx.today, now_utc=ctx.now(), tz=ctx.tz):
            ctx.store.append(line)

    results = send_all(planning.messages, make_transport(timeout), write if record else None)
    reached = {r.planned.unit for r in results if r.delivery.reached}
    missed = list(dict.fromkeys(r.planned.unit for r in results if not r.delivery.reached))
    for result in results:
        message, delivery = result.planned, result.delivery
        if delivery.reached:
            _say(f"{message.unit} · {message.label}：已送达（{delivery.sent} 条消息）")
        else:
            sent = f"已发出 {delivery.sent}/{delivery.messages} 条，共尝试 {delivery.attempts} 次；" if not result.skipped else ""
            _say(f"错误：{message.unit} · {message.label}：未送达（{sent}{delivery.reason}）", err=True)
    what = "测试消息" if not record else "催办"
    summary = f"{what}：{len(reached - set(missed))} 个单位全部送达"
    if missed:
        summary += f"，{len(missed)} 个单位未能全部送达：{'、'.join(missed)}"
    if record:
        summary += f"；台账 {ctx.journal_path} 记入 {sum(r.delivery.reached for r in results)} 次送达"
    _say(summary, err=True)
    return bool(missed)


def register(app: typer.Typer, report_app: typer.Typer) -> None:
    app.command("remind")(remind)

"""Reminders (催办): what each unit is told, where it goes, what is recorded.

The routes are read from ``units.yaml``: a top-level ``remind:`` (the message
title, the mail server, the plan-wide ``default`` route and ``leader`` route)
and a ``remind:`` on each unit (its own ``dingtalk``/``wecom``/``email`` and its
``leader``).  A unit with routes of its own uses only those; one without uses
those of the first group (in units.yaml order) it belongs to that has routes,
else ``default``; ``leader`` is found the same way.  Nothing is read from the plan cache, so a secret written into
``units.yaml`` by mistake never reaches a cache file.

Each unit with something overdue or due within the plan's warning window, or a
progress report late (反馈逾期), gets one :class:`~fupin_cli.channels.Notice` per
route: overdue items oldest first (with days overdue), then what falls due soon,
then the progress reports it owes.  Each delivery that arrives is
recorded as ``remind`` entries (one per plan of its items) by the ``record``
callback; a delivery that does not arrive records nothing.

How often an item was chased (催办次数) counts the distinct days (the ``date``
of ``remind`` entries, the day a reminder was about) on which a reminder about
it reached the unit: several channels, or a second run, on one day are one
chase.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..channels import CHANNELS, Delivery, Notice, NoticeItem, Route, RouteError, SecretStore, Transport
from ..domain.errors import PlanError
from .chases import ItemKey, chased, journal_chase_days  # noqa: F401 - the command reads chases through here

DEFAULT_TITLE = "督办提醒"
TEST_TITLE = "催办渠道测试"
LEADER_SUFFIX = "（多次催办未办结，报领导）"
ROUTE_CHANNELS = ("dingtalk", "wecom", "email")  # the order routes are tried in
CHANNEL_LABELS = {name: CHANNELS[name].label for name in ROUTE_CHANNELS}
TOP_KEYS = ("title", "mail", "default", "leader")
UNIT_KEYS = (*ROUTE_CHANNELS, "leader")

# Which route carried a reminder (the ``route`` of a remind entry).
OWN, GROUP, DEFAULT, LEADER = "unit", "group", "default", "leader"


# ---------------------------------------------------------------- settings from units.yaml

@dataclass(frozen=True)
class RouteConfig:
    """One channel's raw settings for one recipient, as written; ``where`` names it in messages."""

    channel: str
    config: object
    where: str


@dataclass(frozen=True)
class RemindSettings:
    title: str = DEFAULT_TITLE
    mail: object = None                      # the mail server mapping, as written
    mail_where: str = "units.yaml 的 remind.mail"
    default: tuple[RouteConfig, ...] = ()
    leader: tuple[RouteConfig, ...] = ()
    units: Mapping[str, tuple[RouteConfig, ...]] = field(default_factory=dict)
    unit_leaders: Mapping[str, tuple[RouteConfig, ...]] = field(default_factory=dict)

    @property
    def configured(self) -> bool:
        return bool(self.default or self.units)

    def routes_of(self, unit: str, groups: Iterable[str] = ()) -> tuple[str, tuple[RouteConfig, ...]]:
        """(``unit``, ``group`` or ``default``, the routes) a unit's reminders go to; ``groups`` are the
        groups it belongs to, in units.yaml order."""
        own = self.units.get(unit)
        if own:
            return OWN, own
        inherited = next((self.units[g] for g in groups if self.units.get(g)), ())
        return (GROUP, inherited) if inherited else (DEFAULT, self.default)

    def leader_of(self, unit: str, groups: Iterable[str] = ()) -> tuple[RouteConfig, ...]:
        return (self.unit_leaders.get(unit) or next((self.unit_leaders[g] for g in groups if self.unit_leaders.get(g)), ())
                or self.leader)


def _kind(value: object) -> str:
    return {dict: "映射", list: "列表", str: "文字", int: "数字", float: "数字",
            bool: "真假值", type(None): "空值"}.get(type(value), "映射" if isinstance(value, dict) else "值")


def _line(mapping, key: str | None = None) -> int:
    if key is not None and hasattr(mapping, "key_lines") and key in mapping.key_lines:
        return mapping.key_lines[key][0]
    return getattr(mapping, "line", 0)


def _channels(mapping, allowed: tuple[str, ...], where: str, file: str) -> tuple[RouteConfig, ...]:
    """The channel routes of one ``remind:``/``default:``/``leader:`` mapping."""
    if not isinstance(mapping, dict):
        raise PlanError(f"{where} 应该是键值映射（{'、'.join(allowed)}），不是{_kind(mapping)}",
                        file=file, line=_line(mapping))
    unknown = [str(key) for key in mapping if key not in allowed]
    if unknown:
        raise PlanError(f"{where} 里有不认识的键 {unknown[0]}；可用的键：{'、'.join(allowed)}",
                        file=file, line=_line(mapping, unknown[0]))
    return tuple(RouteConfig(name, mapping[name], f"{file}:{_line(mapping, name)} {where}")
                 for name in ROUTE_CHANNELS if name in mapping and mapping[name] is not None)


def read_remind_settings(units_path: Path) -> RemindSettings:
    """The reminder settings of ``units.yaml`` (no secret is resolved here)."""
    from ..plan_io.yaml_source import read_yaml

    doc = read_yaml(units_path)
    file = str(units_path)
    if not isinstance(doc, dict):
        return RemindSettings()
    top = doc.get("remind")
    settings: dict = {}
    if top is not None:
        if not isinstance(top, dict):
            raise PlanError(f"remind: 应该是键值映射（{'、'.join(TOP_KEYS)}），不是{_kind(top)}",
                            file=file, line=_line(doc, "remind"))
        unknown = [str(key) for key in top if key not in TOP_KEYS]
        if unknown:
            raise PlanError(f"remind 里有不认识的键 {unknown[0]}；可用的键：{'、'.join(TOP_KEYS)}",
                            file=file, line=_line(top, unknown[0]))
        title = top.get("title")
        if title is not None:
            if not isinstance(title, str) or not title.strip() or "${" in title:
                raise PlanError("remind.title 应该是一段文字（消息的标题，如 督办提醒）",
                                file=file, line=_line(top, "title"))
            settings["title"] = title.strip()
        if top.get("mail") is not None:
            settings["mail"] = top["mail"]
            settings["mail_where"] = f"{file}:{_line(top, 'mail')} remind"
        if top.get("default") is not None:
            settings["default"] = _channels(top["default"], ROUTE_CHANNELS, "remind.default", file)
        if top.get("leader") is not None:
            settings["leader"] = _channels(top["leader"], ROUTE_CHANNELS, "remind.leader", file)
    units: dict[str, tuple[RouteConfig, ...]] = {}
    leaders: dict[str, tuple[RouteConfig, ...]] = {}
    items = doc.get("units")
    for item in items if isinstance(items, list) else ():
        if not isinstance(item, dict) or item.get("remind") is None:
            continue
        name = str(item.get("name", "")).strip()
        own = item["remind"]
        routes = _channels(own, UNIT_KEYS, f"{name} 的 remind", file)
        if routes:
            units[name] = routes
        if own.get("leader") is not None:
            leaders[name] = _channels(own["leader"], ROUTE_CHANNELS, f"{name} 的 remind.leader", file)
    return RemindSettings(**settings, units=units, unit_leaders=leaders)


def resolve_route(config: RouteConfig, settings: RemindSettings, store: SecretStore) -> Route:
    """The validated route (secrets resolved) of one raw route; RouteError/SecretError (exit 2) if unusable."""
    channel = CHANNELS[config.channel]
    if config.channel == "email":
        if settings.mail is None:
            raise RouteError(f"{config.where} 写了 email，但 units.yaml 的 remind 里没有 mail（邮件服务器）设置")
        return channel.route(config.config, store, where=config.where, server=settings.mail,
                             server_where=settings.mail_where)
    return channel.route(config.config, store, where=config.where)


# ---------------------------------------------------------------- what each unit is told

@dataclass(frozen=True)
class UnitReminder:
    """Everything a unit is reminded of today, and the rows behind it (for the journal and the mail)."""

    unit: str
    notice: Notice                      # every item
    keys: tuple[ItemKey, ...]           # the items' (plan, task, period, unit), in notice order
    report: object                      # the unit's reports.notice.Notice (the mail's HTML part)
    escalated: tuple[int, ...] = ()     # indexes of the items chased ``escalate_after`` times or more

    def leader_notice(self) -> Notice:
        items = [self.notice.items[index] for index in self.escalated]
        return Notice(self.unit, self.notice.title + LEADER_SUFFIX, self.notice.plan_title, items,
                      self.notice.as_of)

    def leader_keys(self) -> tuple[ItemKey, ...]:
        return tuple(self.keys[index] for index in self.escalated)


def unit_reminders(found, days: Mapping[ItemKey, set[date]], *, title: str, plan_title: str,
                   several_plans: bool, escalate_after: int | None = None) -> list[UnitReminder]:
    """One reminder per unit of ``found`` (a reports.notice.Notices) that has something to say.

    Overdue items come oldest first (the most days late), then items due soon by due date; items
    of one day keep the plan's order.  ``several_plans`` writes task ids as ``KEY:ID``.
    """
    order = found.order
    reminders = []
    for report in found.notices:
        if not report:
            continue
        # A 反馈逾期 row (its progress report late) is listed among the due-soon rows of a notice; a
        # reminder asks for the report under its own heading, dated by when the report was due.
        feedback = [r for r in report.due_soon if r.status == "feedback_overdue"]
        due_soon = [r for r in report.due_soon if r.status != "feedback_overdue"]
        entries: list[tuple[NoticeItem, ItemKey]] = []
        for kind, rows in (("overdue", report.overdue), ("due_soon", due_soon), ("feedback_due", feedback)):
            when = (lambda r: r.feedback_due) if kind == "feedback_due" else (lambda r: r.due)
            rows = sorted(rows, key=lambda r: (when(r) or date.max, order.get((r.plan, r.task), 0), r.period))
            for row in rows:
                key = (row.plan, row.task, row.period, row.unit)
                count = chased(days, key, before=found.as_of)
                if kind == "feedback_due":
                    days_value = (row.feedback_due - found.as_of).days  # negative: that many days late
                else:
                    days_value = None if row.days is None else abs(row.days)
                label = f"{row.plan}:{row.task}" if several_plans else row.task
                entries.append((NoticeItem(label, row.text, row.period, when(row), days_value, kind, count), key))
        notice = Notice(report.unit, title, plan_title, [item for item, _ in entries], found.as_of)
        escalated = ()
        if escalate_after is not None:
            escalated = tuple(index for index, (item, _) in enumerate(entries) if item.chased >= escalate_after)
        reminders.append(UnitReminder(report.unit, notice, tuple(key for _, key in entries), report, escalated))
    return reminders


def route_test_notice(unit: str, plan_title: str, as_of: date) -> Notice:
    """The harmless message of ``remind --test``: no items, a title that says it is a test."""
    return Notice(unit, TEST_TITLE, plan_title, (), as_of)


def notice_html(found, report, keys: frozenset | None = None) -> str:
    """The unit's 督办通知单 as the HTML the mail carries (the report renderer's own page); with ``keys``
    ((plan, task, period, unit) of the items escalated), only those items: what the leader is sent."""
    from dataclasses import replace

    from ..output import views
    from ..output.formats import FORMATS, Target, View
    from ..reports.notice import Notices

    if keys is not None:
        def kept(rows):
            return [r for r in rows if (r.plan, r.task, r.period, r.unit) in keys]

        report = replace(report, overdue=kept(report.overdue), due_soon=kept(report.due_soon))

    one = Notices(found.title, found.doc_no, found.issuer, found.as_of, found.within, [report], found.deadlines,
                  found.order, found.plans)
    rendered = FORMATS["html"].render(View(document=lambda: views.notices_document(one)), Target(terminal=False))
    return rendered if isinstance(rendered, str) else rendered.decode("utf-8")


# ---------------------------------------------------------------- what goes where

@dataclass
class Planning:
    """The messages of a run, and the units that cannot get theirs."""

    messages: list = field(default_factory=list)          # [Planned]
    unrouted: list[str] = field(default_factory=list)     # something to say, no route at all
    filtered: list[str] = field(default_factory=list)     # routes, but none of the --channel ones
    no_leader: list[str] = field(default_factory=list)    # to escalate, but no leader route


def _wanted(configs: Iterable[RouteConfig], channels: frozenset[str] | None) -> list[RouteConfig]:
    return [c for c in configs if channels is None or c.channel in channels]


def _no_groups(unit: str) -> tuple[str, ...]:
    return ()


def plan_messages(reminders: list[UnitReminder], settings: RemindSettings, store: SecretStore,
                  channels: frozenset[str] | None = None,
                  html: Callable[[UnitReminder, frozenset | None], str] | None = None,
                  groups: Callable[[str], Iterable[str]] = _no_groups) -> Planning:
    """Every message of a run, each route resolved and checked before anything is sent.

    ``groups(unit)``: the groups a unit belongs to, in units.yaml order (their routes are its own).
    ``html(reminder, keys)`` is a mail's HTML part: the reminder's items, or only ``keys`` (escalated).
    """
    planning = Planning()
    for reminder in reminders:
        kind, configs = settings.routes_of(reminder.unit, groups(reminder.unit))
        if not configs:
            planning.unrouted.append(reminder.unit)
            continue
        wanted = _wanted(configs, channels)
        if not wanted:
            planning.filtered.append(reminder.unit)
        make_html = (lambda r=reminder: html(r, None)) if html is not None else None
        for config in wanted:
            planning.messages.append(Planned(reminder.unit, kind, resolve_route(config, settings, store),
                                             reminder.notice, reminder.keys, make_html))
        if reminder.escalated:
            leaders = settings.leader_of(reminder.unit, groups(reminder.unit))
            if not leaders:
                planning.no_leader.append(reminder.unit)
            for config in _wanted(leaders, channels):
                leader_html = ((lambda r=reminder: html(r, frozenset(r.leader_keys()))) if html is not None
                               else None)
                planning.messages.append(Planned(reminder.unit, LEADER, resolve_route(config, settings, store),
                                                 reminder.leader_notice(), reminder.leader_keys(), leader_html))
    return planning


def plan_route_tests(units: list[str], settings: RemindSettings, store: SecretStore, plan_title: str,
                     as_of: date, channels: frozenset[str] | None = None,
                     groups: Callable[[str], Iterable[str]] = _no_groups) -> Planning:
    """One harmless message per route of each unit (its own, its group's or the default, and its leader route)."""
    planning = Planning()
    for unit in units:
        kind, configs = settings.routes_of(unit, groups(unit))
        routes = [(kind, c) for c in configs] + [(LEADER, c) for c in settings.leader_of(unit, groups(unit))]
        if not routes:
            planning.unrouted.append(unit)
            continue
        wanted = [(k, c) for k, c in routes if channels is None or c.channel in channels]
        if not wanted:
            planning.filtered.append(unit)
        for route_kind, config in wanted:
            planning.messages.append(Planned(unit, route_kind, resolve_route(config, settings, store),
                                             route_test_notice(unit, plan_title, as_of), ()))
    return planning


# ---------------------------------------------------------------- sending

@dataclass(frozen=True)
class Planned:
    """One message to send: a notice for a unit through one route."""

    unit: str
    kind: str                  # OWN, DEFAULT or LEADER
    route: Route
    notice: Notice
    keys: tuple[ItemKey, ...]  # what a delivery records ((plan, task, period, unit) of its items)
    html: Callable[[], str] | None = None

    @property
    def channel(self) -> str:
        return self.route.channel

    @property
    def label(self) -> str:
        return CHANNEL_LABELS[self.route.channel] + ("（领导）" if self.kind == LEADER else "")

    def preview(self) -> str:
        channel = CHANNELS[self.channel]
        if self.channel == "email":
            return channel.preview(self.notice, self.route, html=self.html() if self.html else None)
        return channel.preview(self.notice, self.route)


@dataclass(frozen=True)
class Sent:
    planned: Planned
    delivery: Delivery
    skipped: bool = False      # not tried: the same robot or server failed earlier in this run


def _breaker_key(route: Route) -> tuple:
    """What a failure is shared by: one robot (its webhook), or one mail server."""
    settings = route.settings
    webhook = getattr(settings, "webhook", None)
    if webhook is not None:
        return (route.channel, webhook.reveal())
    server = getattr(settings, "server", None)
    return (route.channel, getattr(server, "host", ""), getattr(server, "port", 0))


def send_all(planned: Iterable[Planned], transport: Transport,
             record: Callable[[Planned], None] | None = None) -> list[Sent]:
    """Send each message; ``record`` each one that arrived.

    Once a robot or mail server has failed after retrying, the later messages to it in this run are
    not tried (each would wait out the same timeouts): they are reported as not reached, so a run
    costs at most one round of retries per robot or server, not one per unit.
    """
    from ..progress import step

    planned = list(planned)
    results: list[Sent] = []
    broken: dict[tuple, str] = {}
    for number, message in enumerate(planned):
        step("发送提醒", number, len(planned))  # a bar on a terminal when many units take a while
        key = _breaker_key(message.route)
        if key in broken:
            delivery = Delivery(message.unit, message.channel, False, 0, 0, 0,
                                f"{broken[key]}（本次运行中前面已送达失败，未再尝试）")
            results.append(Sent(message, delivery, skipped=True))
            continue
        channel = CHANNELS[message.channel]
        if message.channel == "email":
            delivery = channel.send(message.notice, message.route, transport,
                                    html=message.html() if message.html else None)
        else:
            delivery = channel.send(message.notice, message.route, transport)
        if delivery.reached:
            if record is not None:
                record(message)
        elif delivery.attempts > 1 or transport.attempts == 1:
            broken[key] = delivery.reason
        results.append(Sent(message, delivery))
    return results


def remind_records(message: Planned, *, day: date, now_utc, tz) -> list[dict]:
    """The ``remind`` lines of one delivery that arrived: one per plan of its items."""
    from ..journal.entries import make_remind_record

    by_plan: dict[str, list[tuple[str, str]]] = {}
    for plan, task, period, _unit in message.keys:
        by_plan.setdefault(plan, []).append((task, period))
    return [make_remind_record(plan=plan, unit=message.unit, channel=message.channel, route=message.kind,
                               items=items, day=day, now_utc=now_utc, tz=tz)
            for plan, items in by_plan.items()]

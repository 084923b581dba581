"""What every command needs: the data folder, the plan, the journal path, today.

This is the wiring between options/environment and the library; it holds no
business rules.  Warnings meant for people go to stderr, once each.
"""

from __future__ import annotations

import os
import re
import sys
from datetime import date, datetime, timedelta, timezone
from functools import cached_property
from pathlib import Path

from .errors import UsageError
from .model import HOLIDAY_SHIFTS, Plan

_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def parse_user_date(text: str, option: str) -> date:
    """A date as people type it: 2018-07-15, 2018/7/15, 20180715 or 2018年7月15日."""
    import unicodedata

    value = unicodedata.normalize("NFKC", text or "").strip()
    for form in _DATE_FORMS:
        match = form.match(value)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                break
    raise UsageError(f"{option} 的值 “{text}” 不是有效日期（可写 2018-07-15、2018/7/15、20180715 或 2018年7月15日）")


def warn(message: str) -> None:
    print(f"提示：{message}", file=sys.stderr)


class Session:
    """Resolved options for one command run."""

    def __init__(self, data: Path | None = None, journal: Path | None = None,
                 as_of: str | None = None, holiday_shift: str | None = None) -> None:
        from .plan import data_dir_from

        self.data_dir = data_dir_from(data)
        self._journal_option = journal
        self._as_of_option = as_of if as_of is not None else os.environ.get("FUPIN_TODAY") or None
        self._as_of_source = "--as-of" if as_of is not None else "FUPIN_TODAY"
        if holiday_shift is not None and holiday_shift not in HOLIDAY_SHIFTS:
            raise UsageError(f"--holiday-shift 的值 “{holiday_shift}” 无效，可选：{'、'.join(HOLIDAY_SHIFTS)}")
        self._holiday_shift = holiday_shift
        self._warned: set[str] = set()

    # -- plan
    @cached_property
    def loaded(self):
        from .plan import load_plan

        return load_plan(self.data_dir)

    @property
    def plan(self) -> Plan:
        loaded = self.loaded
        if loaded.problems and "phrases" not in self._warned:
            self._warned.add("phrases")
            warn(f"有 {len(loaded.problems)} 项任务的完成时限无法识别，未计入报表；运行 fupin check 查看")
        return loaded.plan

    # -- journal
    @cached_property
    def journal_path(self) -> Path:
        if self._journal_option is not None:
            return self._journal_option
        env = os.environ.get("FUPIN_JOURNAL")
        if env:
            return Path(env)
        from .journal import default_journal_path

        return default_journal_path(self.data_dir)

    @property
    def journal_source(self) -> str:
        if self._journal_option is not None:
            return "--journal"
        if os.environ.get("FUPIN_JOURNAL"):
            return "FUPIN_JOURNAL"
        return "数据文件夹" if self.data_dir is not None else "用户数据目录"

    def read_journal(self):
        from .journal import read_journal

        contents = read_journal(self.journal_path)
        self._warn_journal(contents.problems)
        return contents

    def _warn_journal(self, problems) -> None:
        if problems and "journal" not in self._warned:
            self._warned.add("journal")
            for problem in problems[:3]:
                warn(f"{self.journal_path}: {problem.message}")
            if len(problems) > 3:
                warn(f"台账还有 {len(problems) - 3} 处问题；运行 fupin check 查看")

    def tally(self):
        """Live completions per obligation as of today, through the derived cache for big journals."""
        from .tally import tally_journal

        tally = tally_journal(self.journal_path, self.today, cache_dir())
        self._warn_journal(tally.problems)
        return tally

    # -- time
    @cached_property
    def today(self) -> date:
        plan = self.plan
        if self._as_of_option:
            day = parse_user_date(self._as_of_option, self._as_of_source)
            latest = plan.valid_to + timedelta(days=366)
            if not plan.valid_from <= day <= latest:
                raise UsageError(f"{self._as_of_source} {day} 不在任务清单的有效期内"
                                 f"（{plan.valid_from} 至 {plan.valid_to}，之后一年内仍可查询逾期）")
            return day
        return self.now().astimezone(self.tz).date()

    @cached_property
    def tz(self):
        from zoneinfo import ZoneInfo

        return ZoneInfo(self.plan.timezone)

    @staticmethod
    def now() -> datetime:
        return datetime.now(timezone.utc)

    def check_today_in_plan(self) -> None:
        """Say once when the real today lies outside the plan, as cron would otherwise report stale years."""
        plan, day = self.plan, self.today
        if not self._as_of_option and not plan.valid_from <= day <= plan.valid_to:
            warn(f"今天（{day}）不在任务清单有效期（{plan.valid_from} 至 {plan.valid_to}）内；"
                 f"可用 --as-of 指定日期")

    # -- holidays
    @cached_property
    def calendar(self):
        from .schedule import HolidayCalendar

        return HolidayCalendar(self._holiday_shift or self.plan.settings.holiday_shift)

    def finish(self) -> None:
        """Warnings that can only be known at the end of a run."""
        calendar = self.__dict__.get("calendar")
        if calendar is not None and calendar.unknown_years:
            years = "、".join(str(y) for y in sorted(calendar.unknown_years))
            warn(f"尚无 {years} 年的法定节假日数据，这些年份只按周末顺延")


def cache_dir() -> Path | None:
    """Where derived caches live (FUPIN_CACHE, else the user's cache folder), or None if there is none.

    Deleting it is always safe.  On Linux the XDG rule is applied directly:
    importing platformdirs would cost more start-up than the cache saves.
    """
    env = os.environ.get("FUPIN_CACHE")
    if env:
        return Path(env)
    if sys.platform.startswith("linux"):
        base = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
        # No home at all (cron with HOME=/nonexistent): no cache, rather than making one up.
        usable = os.path.isabs(base) and os.path.isdir(os.path.dirname(base))
        return Path(base) / "fupin" if usable else None
    import platformdirs

    return platformdirs.user_cache_path("fupin")


def cache_name(text: str) -> str:
    """A short file name for a cache of ``text`` (paths); the key inside decides, so collisions only miss."""
    from zlib import adler32, crc32

    data = text.encode("utf-8", "surrogateescape")
    return f"{crc32(data):08x}{adler32(data):08x}"


def code_stamp(*modules: str) -> tuple[int, ...]:
    """Modification times of fupin's own modules that shape a cache's content.

    Part of every cache key, so that a changed reader (a new release, or a
    developer's edit) never serves an answer the old code derived.
    """
    folder = Path(__file__).resolve().parent
    return tuple((folder / f"{name}.py").stat().st_mtime_ns for name in modules)

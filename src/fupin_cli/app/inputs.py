"""Values people type (dates), read the same way for every option and variable that takes them."""

from __future__ import annotations

import re
from datetime import date

from ..domain.errors import UsageError

_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
)


def parse_user_date(text: str, what: str) -> date:
    """A date as people type it: 2018-07-15, 2018/7/15, 20180715 or 2018年7月15日; ``what`` names the input."""
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
    raise UsageError(f"{what} 的值 “{text}” 不是有效日期（可写 2018-07-15、2018/7/15、20180715 或 2018年7月15日）")

"""Working days in Vietnam: Monday to Friday, less the public holidays (Tết included).

The holidays come from the ``holidays`` package (its data ships with it; nothing is
downloaded), including the days it records as observed or moved by the government.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = ["is_working_day", "add_working_days", "working_days_between", "holiday_name"]


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[date, str]:
    import holidays

    return dict(holidays.country_holidays("VN", years=year, language="vi"))


def holiday_name(d: date) -> str | None:
    """The public holiday on ``d`` (in Vietnamese), or None.

    >>> holiday_name(date(2025, 9, 2))
    'Quốc khánh'
    """
    return _holidays(d.year).get(d)


def is_working_day(d: date) -> bool:
    """Monday to Friday and not a public holiday.

    >>> is_working_day(date(2025, 9, 2)), is_working_day(date(2025, 9, 3))
    (False, True)
    """
    return d.weekday() < 5 and d not in _holidays(d.year)


def add_working_days(d: date, n: int) -> date:
    """The ``n``-th working day after ``d`` (``d`` itself is not counted).

    >>> add_working_days(date(2025, 8, 29), 1)  # Friday; 1 and 2 September are holidays
    datetime.date(2025, 9, 3)
    """
    if n < 0:
        raise ValueError("n must be >= 0")
    while n:
        d += timedelta(days=1)
        if is_working_day(d):
            n -= 1
    return d


def working_days_between(start: date, end: date) -> int:
    """Working days in ``(start, end]``: how many working days late ``end`` is after ``start``.

    >>> working_days_between(date(2025, 8, 29), date(2025, 9, 3))
    1
    """
    if end <= start:
        return 0
    n, d = 0, start
    while d < end:
        d += timedelta(days=1)
        n += is_working_day(d)
    return n

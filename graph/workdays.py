"""Working days in Vietnam: Monday to Friday, less the public holidays (Tết included).

The holidays come from the ``holidays`` package (its data ships with it; nothing is
downloaded), including the days it records as observed or moved by the government.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = ["is_working_day", "add_working_days", "working_days_between", "holiday_name"]


@lru_cache(maxsize=1024)
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
    holidays = {h for y in range(start.year, end.year + 1) for h in _holidays(y) if start < h <= end}
    return _weekdays_to(end) - _weekdays_to(start) - sum(1 for h in holidays if h.weekday() < 5)


def _weekdays_to(d: date) -> int:
    """Mondays to Fridays from 1 January of year 1 (a Monday) to ``d``, counted in constant
    time, so a date centuries away costs no more than next week."""
    n = d.toordinal()
    return (n // 7) * 5 + min(n % 7, 5)

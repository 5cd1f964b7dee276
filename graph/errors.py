"""One exception hierarchy. Every message says what was wrong; the command line prints it on
one line, with its advice, and exits non-zero (``orgraph/cli/_errors.py``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .i18n import Message, say

__all__ = [
    "OrgraphError",
    "DataError",
    "ArgumentError",
    "UnknownUnitError",
    "AmbiguousUnitError",
    "NotLiveError",
    "BackendError",
    "BeyondHorizonError",
    "UnknownPlanError",
]


class OrgraphError(Exception):
    """Base of every error orgraph raises on purpose."""

    exit_code = 1

    def one_line(self) -> str:
        return " ".join(str(self).split())

    def said(self) -> str:
        """The message in the current language (:func:`orgraph.graph.i18n.say`); ``str(e)`` is
        the English."""
        return say(self.args[0]) if len(self.args) == 1 else str(self)


class DataError(OrgraphError):
    """A data file is malformed. The message names the file and the row."""

    exit_code = 2

    def __init__(self, file: str, row: int | None, reason: str) -> None:
        self.file, self.row, self.reason = file, row, reason
        if row is None:
            super().__init__(Message("{file}: {reason}", file=file, reason=reason))
        else:
            super().__init__(Message("{file}, row {row}: {reason}", file=file, row=row, reason=reason))


class ArgumentError(DataError):
    """A value given to a function is outside what it accepts. The message names the argument
    as the function does (``kind``, ``lat/lon`` for a pair), never a command line's option:
    the command line says which of its options that is.

    >>> str(ArgumentError("kind", "'x' is not a territorial kind"))
    "kind: 'x' is not a territorial kind"
    """

    def __init__(self, argument: str, reason: str) -> None:
        super().__init__(argument, None, reason)
        self.argument = argument


class UnknownUnitError(OrgraphError):
    """No unit matches the name or code."""

    exit_code = 3

    def __init__(self, query: str, suggestions: Sequence[str] = ()) -> None:
        self.query, self.suggestions = query, list(suggestions)
        if self.suggestions:
            names = "; ".join(self.suggestions)
            super().__init__(Message("no unit matches {query!r}; did you mean: {names}?", query=query, names=names))
        else:
            super().__init__(Message("no unit matches {query!r}", query=query))


class AmbiguousUnitError(OrgraphError):
    """Several units match; the message lists every candidate."""

    exit_code = 4

    def __init__(self, query: str, candidates: Sequence[str]) -> None:
        self.query, self.candidates = query, list(candidates)
        names = "; ".join(self.candidates)
        super().__init__(
            Message("{query!r} matches {n} units: {names}", query=query, n=len(self.candidates), names=names)
        )


class NotLiveError(OrgraphError):
    """The unit did not exist on the date asked."""

    exit_code = 5


class BeyondHorizonError(OrgraphError):
    """A date before the data is complete: the answer would show a later picture as that date's."""

    exit_code = 2

    def __init__(self, on: object, kind: str, start: object, why: str) -> None:
        self.on, self.kind, self.start = on, kind, start
        super().__init__(
            Message(
                "{on} is before the data's horizon: {kind} units are complete only from {start} ({why}); "
                "ask about {start} or later",
                on=on,
                kind=Message(kind),  # (its name in the catalogue, for a person)
                start=start,
                why=_horizon_why(why),
            )
        )


class BackendError(OrgraphError):
    """A database backend could not be reached or refused the request."""

    exit_code = 6


class UnknownPlanError(UnknownUnitError):
    """No plan has this id (among the seeds' plans and the plan files loaded). A kind of
    :class:`UnknownUnitError`, so that whatever answers an unknown name answers it alike."""

    exit_code = 3

    def __init__(self, plan: str, plans: Sequence[str] = ()) -> None:
        import difflib

        self.query, self.plans = plan, list(plans)
        self.suggestions = difflib.get_close_matches(plan, self.plans, n=3, cutoff=0.5) or self.plans[:5]
        if self.suggestions:
            names = "; ".join(self.suggestions)
            OrgraphError.__init__(self, Message("no plan {plan!r}; did you mean: {names}?", plan=plan, names=names))
        else:
            OrgraphError.__init__(self, Message("no plan {plan!r}", plan=plan))


# how the national data words why its horizon is where it is (scripts/regenerate.py)
_HORIZON_WHY = (
    "the last earlier change, {basis}, took effect on {start}",
    "no province changed between {start} and {end} (release table of {repo}, from {basis})",
)


def _horizon_why(why: str) -> str:
    """The data's reason for a horizon, as a :class:`Message` when it is worded as the
    national data words it (so it is said in the language asked), else as it is.

    >>> _horizon_why("the last earlier change, 1365/NQ-UBTVQH15, took effect on 2025-03-01").values
    {'basis': '1365/NQ-UBTVQH15', 'start': '2025-03-01'}
    """
    for template in _HORIZON_WHY:
        parts = re.split(r"\{(\w+)\}", template)
        pattern = "".join(re.escape(x) if i % 2 == 0 else f"(?P<{x}>.+?)" for i, x in enumerate(parts))
        m = re.fullmatch(pattern, why)
        if m:
            return Message(template, **m.groupdict())
    return why

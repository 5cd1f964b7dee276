"""The one place where errors become HTTP answers.

Every error is JSON: ``{"error": <the same one-line message the command line prints>,
"status": <HTTP status>, "kind": ...}``, plus ``suggestions`` for an unknown unit and
``candidates`` for an ambiguous one.

=========================  ======  =====================================
error                      status  kind
=========================  ======  =====================================
TooLarge                   413     ``too_large``
Busy                       429     ``busy``
UnknownUnitError           404     ``unknown_unit``
AmbiguousUnitError         409     ``ambiguous``
BackendError               503     ``backend``
DataError, BadInput, …     400     ``bad_input``
=========================  ======  =====================================
"""

from __future__ import annotations

from typing import Any

from ..graph.errors import (
    AmbiguousUnitError,
    BackendError,
    DataError,
    NotLiveError,
    OrgraphError,
    UnknownUnitError,
)

__all__ = ["BadInput", "TooLarge", "Busy", "error_answer", "STATUS"]


class BadInput(OrgraphError):
    """A request parameter or body is malformed."""

    exit_code = 2


class TooLarge(OrgraphError):
    """A request is over the server's size or row limit."""

    exit_code = 2


class Busy(OrgraphError):
    """Too many bulk conversions are waiting; the client should try again shortly."""

    exit_code = 6


# most specific first
STATUS: tuple[tuple[type[OrgraphError], int, str], ...] = (
    (TooLarge, 413, "too_large"),
    (Busy, 429, "busy"),
    (UnknownUnitError, 404, "unknown_unit"),
    (AmbiguousUnitError, 409, "ambiguous"),
    (BackendError, 503, "backend"),
    (NotLiveError, 400, "not_live"),
    (DataError, 400, "bad_input"),
    (BadInput, 400, "bad_input"),
    (OrgraphError, 400, "bad_input"),
)


def error_answer(e: OrgraphError) -> tuple[int, dict[str, Any]]:
    """(HTTP status, JSON body) for one of orgraph's errors."""
    status, kind = next((s, k) for cls, s, k in STATUS if isinstance(e, cls))
    body: dict[str, Any] = {"error": e.one_line(), "status": status, "kind": kind}
    if isinstance(e, UnknownUnitError):
        body["suggestions"] = list(e.suggestions)
    if isinstance(e, AmbiguousUnitError):
        body["candidates"] = list(e.candidates)
    if isinstance(e, DataError) and e.row is not None:
        body["row"] = e.row
    return status, body


def plain_error(status: int, message: str, kind: str = "bad_input") -> dict[str, Any]:
    """The same JSON shape for errors that are not orgraph's (unknown route, bad method)."""
    return {"error": " ".join(message.split()), "status": status, "kind": kind}

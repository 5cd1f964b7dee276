"""Progress records: a plain file kept beside the user's plans (CSV, or .xlsx with openpyxl).

One row per record, with the columns ``task, status, date, body, reference, note``:

* ``task`` — the task's id as in the plan (``?-KH/TU:PL.9@204``; ``task:`` in front is allowed);
* ``status`` — ``chưa thực hiện``, ``đang thực hiện`` or ``hoàn thành`` (with or without
  diacritics, any case; ``not started``, ``in progress`` and ``done`` are accepted too);
* ``date`` — ``YYYY-MM-DD`` (``DD/MM/YYYY`` is accepted);
* ``body`` — the reporting body's name or id; ``reference`` — the report's number; ``note``.

This module checks the file's form, row by row (a bad row names the file and the row, and
nothing is kept); :func:`orgraph.queries.progress.check_records` checks the rows against the
graph. :func:`write_records` replaces the file atomically (a temporary file renamed over it).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..graph.errors import DataError
from ..graph.i18n import Message
from ..graph.model import NFCStr, ProgressStatus
from ..graph.names import fold

__all__ = ["COLUMNS", "ProgressRow", "parse_status", "read_progress", "write_records", "append_record"]

COLUMNS = ("task", "status", "date", "body", "reference", "note")

_ALIASES = {
    ProgressStatus.NOT_STARTED: ("chua thuc hien", "not started", "not_started", "todo", "to do", "open"),
    ProgressStatus.IN_PROGRESS: ("dang thuc hien", "in progress", "in_progress", "started", "ongoing", "doing"),
    ProgressStatus.DONE: ("hoan thanh", "done", "completed", "complete", "finished"),
}
_BY_KEY = {a: s for s, names in _ALIASES.items() for a in names}


def parse_status(text: str) -> ProgressStatus:
    """A status from its Vietnamese name (with or without diacritics) or an English alias.

    >>> parse_status("Hoan thanh"), parse_status("đang thực hiện").name
    (<ProgressStatus.DONE: 'hoàn thành'>, 'IN_PROGRESS')
    """
    got = _BY_KEY.get(" ".join(fold(text or "").replace("-", " ").split()))
    if got is None:
        raise ValueError(
            f"unknown status {text!r}; use one of: " + ", ".join(s.value for s in ProgressStatus) + " (or done, …)"
        )
    return got


class ProgressRow(BaseModel):
    """One record as read from the file (its form only; the graph checks the rest)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    task: NFCStr = Field(min_length=1)
    status: ProgressStatus
    date: dt.date
    body: NFCStr = Field(min_length=1)
    reference: NFCStr | None = None
    note: NFCStr | None = None
    file: str = ""
    row: int = 0

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, v: Any) -> Any:
        return v if isinstance(v, ProgressStatus) else parse_status(str(v))

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        if isinstance(v, dt.datetime):
            return v.date()
        if isinstance(v, str) and "/" in v:
            try:
                d, m, y = (int(x) for x in v.strip().split("/"))
                return dt.date(y, m, d)
            except ValueError:
                raise ValueError(f"expected a date like 2025-07-28 or 28/07/2025, got {v!r}") from None
        return v

    @field_validator("reference", "note", mode="before")
    @classmethod
    def _blank(cls, v: Any) -> Any:
        return None if v is None or (isinstance(v, str) and not v.strip()) else v

    def cells(self) -> list[str]:
        """The row as the file writes it."""
        return [
            self.task,
            self.status.value,
            self.date.isoformat(),
            self.body,
            self.reference or "",
            self.note or "",
        ]


def _row(path: str, i: int, raw: dict[str, Any]) -> ProgressRow:
    try:
        return ProgressRow.model_validate({**raw, "file": path, "row": i})
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(x) for x in err["loc"]) or "row"
        msg = str(err["msg"]).removeprefix("Value error, ")
        raise DataError(path, i, f"{where}: {msg}") from None


def _check_header(path: str, header: Sequence[Any]) -> list[str]:
    names = [fold(str(h or "")).strip() for h in header]
    missing = [c for c in COLUMNS[:4] if c not in names]
    unknown = [h for h in names if h and h not in COLUMNS]
    if missing or unknown:
        what = (
            Message("missing {columns}", columns=str(missing))
            if missing
            else Message("unknown {columns}", columns=str(unknown))
        )
        raise DataError(
            path, 1, Message("the header needs the columns {columns} ({what})", columns=str(list(COLUMNS)), what=what)
        )
    return names


def _rows_from(path: str, header: Sequence[Any], body: Sequence[Sequence[Any]]) -> tuple[ProgressRow, ...]:
    names = _check_header(path, header)
    out = []
    for i, cells in enumerate(body, start=2):
        if not any(str(c or "").strip() for c in cells):
            continue  # a blank line
        if len(cells) > len(names) and any(str(c or "").strip() for c in cells[len(names) :]):
            raise DataError(path, i, Message("{n} cells but the header has {m} columns", n=len(cells), m=len(names)))
        raw = {n: c for n, c in zip(names, cells, strict=False) if n}
        raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in raw.items()}
        out.append(_row(path, i, raw))
    return tuple(out)


def read_progress(path: str | Path) -> tuple[ProgressRow, ...]:
    """Every record of a progress file (CSV, or .xlsx), in file order; a missing file has none.

    >>> read_progress("no-such-progress.csv")
    ()
    """
    p = Path(path)
    if not p.exists():
        return ()
    if p.suffix.lower() == ".xlsx":
        try:
            import openpyxl
        except ModuleNotFoundError:
            raise DataError(str(p), None, "reading .xlsx needs openpyxl: pip install 'orgraph[xlsx]'") from None
        try:
            wb = openpyxl.load_workbook(p, read_only=True, data_only=True)
        except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
            raise DataError(str(p), None, Message("not a readable .xlsx workbook: {reason}", reason=str(e))) from None
        rows = [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        wb.close()
        if not rows:
            return ()
        return _rows_from(str(p), rows[0], rows[1:])
    try:
        raw = p.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise DataError(str(p), None, Message("cannot read: {reason}", reason=str(e.strerror))) from None
    except UnicodeDecodeError:
        raise DataError(str(p), None, Message("not UTF-8 text")) from None
    if not raw.strip():
        return ()
    try:
        rows = list(csv.reader(io.StringIO(raw, newline="")))
    except csv.Error as e:
        raise DataError(str(p), None, Message("not valid CSV: {reason}", reason=str(e))) from None
    return _rows_from(str(p), rows[0], rows[1:])


def write_records(path: str | Path, rows: Sequence[ProgressRow]) -> None:
    """Write every record to ``path`` (CSV, or .xlsx), replacing it atomically: readers see
    the old file or the new one, never half of one."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=p.suffix, dir=p.parent)
    try:
        if p.suffix.lower() == ".xlsx":
            os.close(fd)
            import openpyxl

            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "progress"
            ws.append(list(COLUMNS))
            for r in rows:
                ws.append(r.cells())
                for cell in ws[ws.max_row]:
                    cell.data_type = "s"  # text, even when it starts with "=": never a formula
            wb.save(tmp)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(COLUMNS)
                w.writerows(r.cells() for r in rows)
                f.flush()
                os.fsync(f.fileno())
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def append_record(path: str | Path, row: ProgressRow) -> tuple[ProgressRow, ...]:
    """The file's records with ``row`` added at the end (as row ``n``); nothing is written."""
    old = read_progress(path)
    last = max((r.row for r in old), default=1)
    return (*old, row.model_copy(update={"file": str(path), "row": last + 1}))

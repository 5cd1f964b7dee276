"""Plans from Excel: a task table laid out the way the seed plans' appendix is.

A sheet holds, top to bottom: optional title lines; optional metadata lines (a label in the
first cell, its value in the next non-empty one: ``Kế hoạch số`` / ``Số`` / ``Plan``, ``Cơ
quan ban hành`` / ``Issuer``, ``Ngày`` / ``Date``, ``Tỉnh`` / ``Province``); a header row
(possibly two rows, possibly merged) with the columns STT, Nội dung (nhiệm vụ), Cơ quan chủ
trì (tham mưu), Cơ quan phối hợp, (Dự kiến) thời gian hoàn thành and, optionally, Ghi chú;
then the tasks. Merged cells are read as if every cell of the range held the value (a lead
body merged over several tasks leads each of them). Rows whose STT is not a number (I, II,
A, …) are section headings.

Bodies in a cell are separated by ``;`` or line breaks; a group named in the plural ("Các cơ
quan, đơn vị liên quan", "Các cấp ủy, tổ chức đảng …") is a generic assignee, as in the
seeds. Deadlines: a date cell, a date in the text ("Trước ngày 01/8/2025"), a month ("Tháng
9/2025"), "hằng tuần" with a weekday, "thường xuyên"; any other text is kept as the
deadline's text.

Every problem is an error naming the file, the sheet, the row and the column.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..graph.errors import DataError
from ..graph.i18n import Message
from ..graph.names import fold

__all__ = ["read_plan_xlsx"]

_COLUMNS = {  # field -> folded header fragments, first match wins
    "number": ("stt", "tt", "so thu tu"),
    "text": ("noi dung", "nhiem vu"),
    "lead": ("chu tri",),
    "coordinators": ("phoi hop",),
    "deadline": ("thoi gian", "thoi han", "hoan thanh", "deadline"),
    "note": ("ghi chu", "note"),
}
_META = {
    "plan": ("ke hoach so", "so ke hoach", "so", "plan", "ke hoach"),
    "issuer": ("co quan ban hanh", "ban hanh", "issuer"),
    "date": ("ngay ban hanh", "ngay", "date"),
    "province": ("tinh", "province"),
    "title": ("trich yeu", "ten ke hoach", "title"),
}
_WEEKDAYS = {
    "thu hai": "monday",
    "thu ba": "tuesday",
    "thu tu": "wednesday",
    "thu nam": "thursday",
    "thu sau": "friday",
    "thu bay": "saturday",
    "chu nhat": "sunday",
}
_DATE = re.compile(r"\b(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\s*[/.\s-]\s*(\d{4})\b|^\s*(\d{1,2})\s*[/\s]\s*(\d{4})\s*$")
_NUMBER = re.compile(r"^\d+(\.\d+)*\.?$")


def _cell_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def _grid(ws: Any) -> list[list[Any]]:
    """The sheet's values with every merged range filled from its top-left cell."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    for rng in ws.merged_cells.ranges:
        top = rows[rng.min_row - 1][rng.min_col - 1] if rng.min_row - 1 < len(rows) else None
        for r in range(rng.min_row - 1, min(rng.max_row, len(rows))):
            row = rows[r]
            if len(row) < rng.max_col:
                row.extend([None] * (rng.max_col - len(row)))
            for c in range(rng.min_col - 1, rng.max_col):
                row[c] = top
    return rows


def _find_header(grid: list[list[Any]]) -> tuple[int, int, dict[str, int]] | None:
    """(first header row, last header row, column of each field), 0-based."""
    for i, row in enumerate(grid[:40]):
        cols: dict[str, int] = {}
        texts = [fold(_cell_text(v)) for v in row]
        # a two-row header: the row below may name what this one leaves empty
        below = [fold(_cell_text(v)) for v in grid[i + 1]] if i + 1 < len(grid) else []
        for field, frags in _COLUMNS.items():
            for j, t in enumerate(texts):
                cand = " ".join(x for x in (t, below[j] if j < len(below) else "") if x)
                if j in cols.values():
                    continue
                if field == "number" and t not in frags:
                    continue
                if field != "number" and any(f in cand for f in frags):
                    cols[field] = j
                    break
                if field == "number":
                    cols[field] = j
                    break
        if {"number", "text", "lead"} <= set(cols):
            two_rows = bool(below) and any(
                any(f in b for f in ("chu tri", "phoi hop", "hoan thanh")) for b in below if b
            )
            return i, (i + 1 if two_rows else i), cols
    return None


def _col_letter(j: int) -> str:
    out = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        out = chr(65 + r) + out
    return out


def _deadline(raw: Any, where: str) -> dict[str, Any]:
    if isinstance(raw, dt.datetime | dt.date):
        d = raw.date() if isinstance(raw, dt.datetime) else raw
        return {"kind": "date", "date": d}
    text = _cell_text(raw)
    if not text:
        return {"kind": "none"}
    f = fold(text)
    m = _DATE.search(text)
    if m:
        day, month, year = (int(x) for x in m.groups())
        try:
            return {"kind": "date", "date": dt.date(year, month, day)}
        except ValueError:
            raise DataError(where, None, Message("{text!r} is not a real date", text=text)) from None
    m = _MONTH.search(f)
    if m:
        month_s, year_s = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        if not 1 <= int(month_s) <= 12:
            raise DataError(where, None, Message("{text!r}: there is no month {month}", text=text, month=month_s))
        return {"kind": "by_month", "month": f"{int(year_s):04d}-{int(month_s):02d}"}
    if "hang tuan" in f or "weekly" in f:
        weekday = next((v for k, v in _WEEKDAYS.items() if k in f), None)
        if weekday is None:
            raise DataError(
                where, None, Message("{text!r}: a weekly deadline needs its weekday (thứ Hai … Chủ nhật)", text=text)
            )
        return {"kind": "weekly", "weekday": weekday}
    if "thuong xuyen" in f or f == "regular":
        return {"kind": "regular"}
    return {"kind": "none"}


def _assignees(cell: str, where: str) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    for part in re.split(r"[;\n]+", cell):
        x = part.strip(" -–•\t")
        if not x:
            continue
        f = fold(x)
        if x.startswith("*"):
            out.append({"generic": fold(x[1:]).replace(" ", "_"), "text": x[1:].strip()})
        elif f.startswith(("cac ", "toan ")):
            key = "all_levels_party_committees" if f.startswith("cac cap uy") else "related_agencies"
            if "lien quan" not in f and key == "related_agencies":
                key = "agencies_units_and_localities"
            out.append({"generic": key, "text": x})
        else:
            out.append({"body": x, "where": where})
    return out


def read_plan_xlsx(path: str | Path) -> Any:
    """Read the task tables of an Excel workbook into a plan file (every sheet with a task
    table is one plan).

    Returns a :class:`orgraph.loaders.plans.PlanFile`.
    """
    from .plans import Deadline, Plan, PlanFile, Task

    p = Path(path)
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - exercised without the extra
        raise DataError(str(p), None, "reading .xlsx needs openpyxl; pip install 'orgraph[xlsx]'") from None
    try:
        wb = openpyxl.load_workbook(p, read_only=False, data_only=True)
    except OSError as e:
        raise DataError(str(p), None, Message("cannot read: {reason}", reason=str(e.strerror or e))) from None
    except Exception as e:  # noqa: BLE001 - openpyxl raises many kinds for a broken file
        raise DataError(
            str(p), None, Message("not a readable .xlsx workbook ({type})", type=type(e).__name__)
        ) from None
    plans: list[Any] = []
    tasks: list[Any] = []
    for ws in wb.worksheets:
        grid = _grid(ws)
        found = _find_header(grid)
        if found is None:
            continue
        first_header, header_row, cols = found
        sheet = Message("{file} [sheet {name!r}]", file=str(p), name=ws.title)
        meta: dict[str, str] = {}
        for row in grid[:first_header]:
            cells = [c for c in row if _cell_text(c)]
            if len(cells) < 2:
                continue
            label = fold(_cell_text(cells[0])).rstrip(" :")
            for field, frags in _META.items():
                if field not in meta and label in frags:
                    meta[field] = _cell_text(cells[1])
                    break
        for need, what in (("plan", "Kế hoạch số"), ("issuer", "Cơ quan ban hành")):
            if not meta.get(need):
                raise DataError(
                    sheet, None, Message("above the table, a line '{what}' with its value is needed", what=what)
                )
        try:
            plan_date = None
            if meta.get("date"):
                m = _DATE.search(meta["date"])
                iso = re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["date"])
                if m:
                    day, month, year = (int(x) for x in m.groups())
                    plan_date = dt.date(year, month, day)
                elif iso:
                    plan_date = dt.date.fromisoformat(meta["date"])
                else:
                    raise ValueError(f"{meta['date']!r} is not a date")
            plan = Plan(
                id=meta["plan"],
                issuer=meta["issuer"],
                date=plan_date,
                province=meta.get("province") or None,
                title=meta.get("title") or None,
            )
        except (ValidationError, ValueError) as e:
            raise DataError(sheet, None, f"the plan's lines above the table: {e}".splitlines()[0]) from None
        if any(x.id == plan.id for x in plans):
            raise DataError(sheet, None, Message("plan {plan!r} is in two sheets", plan=plan.id))
        plans.append(plan)
        seen: dict[str, int] = {}
        for r in range(header_row + 1, len(grid)):
            row = grid[r]

            def cell(field: str, row: list[Any] = row, cols: dict[str, int] = cols) -> Any:
                j = cols.get(field)
                return row[j] if j is not None and j < len(row) else None

            number = _cell_text(cell("number")).rstrip(".")
            text = _cell_text(cell("text"))
            if not number and not text:
                continue
            if not _NUMBER.match(number + "."):
                continue  # a section heading (I, II, A, …) or a note line
            rowno = r + 1

            def where(field: str, rowno: int = rowno, cols: dict[str, int] = cols, sheet: str = sheet) -> str:
                return Message(
                    "{sheet}, row {row}, column {column}", sheet=sheet, row=rowno, column=_col_letter(cols[field])
                )

            if number in seen:
                raise DataError(
                    where("number"),
                    None,
                    Message("task {number} is also on row {row}", number=number, row=seen[number]),
                )
            seen[number] = rowno
            if not text:
                raise DataError(where("text"), None, Message("task {number} has no text", number=number))
            lead = _assignees(_cell_text(cell("lead")), where("lead"))
            if not lead:
                raise DataError(
                    where("lead"), None, Message("task {number} has no lead body (cơ quan chủ trì)", number=number)
                )
            deadline = _deadline(cell("deadline"), where("deadline")) if "deadline" in cols else {"kind": "none"}
            raw_deadline = _cell_text(cell("deadline")) if "deadline" in cols else ""
            try:
                tasks.append(
                    Task(
                        id=f"{plan.id}:{number}",
                        plan=plan.id,
                        number=number,
                        text=text,
                        lead=tuple(lead),  # type: ignore[arg-type]
                        coordinators=tuple(
                            _assignees(_cell_text(cell("coordinators")), where("coordinators"))  # type: ignore[arg-type]
                            if "coordinators" in cols
                            else ()
                        ),
                        deadline=Deadline(**deadline),
                        deadline_text=raw_deadline or None,
                        note=_cell_text(cell("note")) or None,
                        line=rowno,
                        where=f"{sheet}, row {rowno}",
                    )
                )
            except ValidationError as e:
                err = e.errors()[0]
                raise DataError(
                    Message("{sheet}, row {row}", sheet=sheet, row=rowno),
                    None,
                    f"{'.'.join(map(str, err['loc']))}: {err['msg']}",
                ) from None
    if not plans:
        raise DataError(str(p), None, Message("no sheet has a task table (columns STT, Nội dung, Cơ quan chủ trì …)"))
    if not tasks:
        raise DataError(str(p), None, Message("the task table has no tasks"))
    return PlanFile(plans=tuple(plans), tasks=tuple(tasks))

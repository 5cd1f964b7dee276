"""The plans' tasks written back to Excel, one sheet per plan, in the layout the plans'
appendix uses (and :func:`orgraph.loaders.xlsx_plans.read_plan_xlsx` reads): the plan's
lines above the table, then STT, Nội dung, Cơ quan chủ trì, Cơ quan phối hợp, Thời gian hoàn
thành as the plan gave them, followed by what orgraph knows on the date asked: who leads now
(after the mergers), the lead's status, the next due date and the task's source.

A sheet read back with ``orgraph load-plan`` gives the same tasks (numbers, text, bodies,
deadlines) for tasks numbered 1, 2, 2.1, …; the seed plans' numbers such as ``III.1(1)``
are kept as written but read back as section headings. openpyxl is the ``xlsx`` extra.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from ..graph.errors import DataError
from ..graph.i18n import say, using
from ..graph.i18n import t as tr
from ..graph.model import Attr, UnitType
from ..graph.names import body_key
from .export import write_atomic
from .report import WEEKDAYS_VI
from .tasks import TaskStatus, tasks

__all__ = ["TASK_SHEET_COLUMNS", "write_tasks_xlsx"]

TASK_SHEET_COLUMNS = (
    "STT",
    "Nội dung nhiệm vụ",
    "Cơ quan chủ trì",
    "Cơ quan phối hợp",
    "Thời gian hoàn thành",
    "Cơ quan chủ trì hiện nay",
    "Tình trạng cơ quan chủ trì",
    "Hạn kế tiếp",
    "Nguồn",
)


def lead_status_vi(status: str) -> str:
    """The lead's status in Vietnamese, as the message catalogue says it (the sheet shows it
    beside orgraph's own word, the one ``--json`` gives).

    >>> lead_status_vi("not_yet")
    'chưa thành lập'
    """
    with using("vi"):
        return tr(status.replace("_", " "))


def _vi(text: str) -> str:
    """A sentence orgraph computed (a note, a source), in Vietnamese."""
    with using("vi"):
        return say(text)


_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
# What XML 1.0 (and so a .xlsx cell) cannot hold.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _cell(text: str) -> str:
    return _XML_BAD.sub("", text)


def deadline_text(rule: dict[str, Any], given: str) -> str:
    """The deadline as the plan's table writes it, in words ``load-plan`` reads back.

    >>> deadline_text({"kind": "date", "date": date(2025, 9, 30)}, "")
    '30/09/2025'
    >>> deadline_text({"kind": "by_month", "month": "2025-08"}, "")
    'Tháng 8/2025'
    >>> deadline_text({"kind": "weekly", "weekday": "tuesday"}, "")
    'Hằng tuần, thứ Ba'
    """
    kind = rule.get("kind")
    if kind == "date" and rule.get("date"):
        d = rule["date"]
        d = date.fromisoformat(d) if isinstance(d, str) else d
        return f"{d:%d/%m/%Y}"
    if kind == "by_month" and rule.get("month"):
        year, month = rule["month"].split("-")
        return f"Tháng {int(month)}/{year}"
    if kind == "weekly" and rule.get("weekday"):
        return f"Hằng tuần, {WEEKDAYS_VI[rule['weekday']]}"
    if kind == "regular":
        return "Thường xuyên"
    return given if kind not in ("none", None) else ""


def _shared_names(G: nx.MultiDiGraph) -> set[str]:
    """Body names (as ``load-plan`` matches them) that more than one body bears."""
    seen: set[str] = set()
    shared: set[str] = set()
    for a in G._node.values():
        if a.get(Attr.TYPE) == UnitType.BODY:
            k = a.get(Attr.KEY_FULL) or body_key(a[Attr.NAME])
            (shared if k in seen else seen).add(k)
    return shared


def _assigned(holders: Iterable[Any], shared: set[str]) -> str:
    """The bodies as the plan named them: by name, or by id where the name is shared (two
    communes' "Đảng ủy phường Điện Biên"), so that the sheet loads back to the same bodies."""
    out = []
    for h in holders:
        if h.assigned is not None:
            out.append(h.assigned.id if body_key(h.assigned.name) in shared else h.assigned.name)
        elif h.generic:
            out.append(f"*{h.generic}")  # read back as the same generic assignee
    return "; ".join(out)


def _current(holders: Iterable[Any]) -> str:
    out = []
    for h in holders:
        if h.generic and h.assigned is None:
            out.append(_vi(h.note) if h.note else f"*{h.generic}")
        elif h.holders:
            out.append("; ".join(x.name for x in h.holders))
        else:
            out.append(f"({lead_status_vi(h.status)})")
    return "\n".join(out)


def _sheet_title(plan: str, used: set[str]) -> str:
    base = _SHEET_BAD.sub("-", plan)[:28] or "plan"
    title, n = base, 2
    while title.casefold() in used:
        title, n = f"{base[:25]}~{n}", n + 1
    used.add(title.casefold())
    return title


def write_tasks_xlsx(G: nx.MultiDiGraph, path: str | Path, *, on: date, plan: str | None = None) -> int:
    """Write the tasks (of one plan) on ``on`` to an Excel workbook, a sheet per plan;
    returns the number of tasks written. ``G`` is a graph with bodies and plans
    (:func:`orgraph.loaders.plans.load_full`)."""
    try:
        import openpyxl
        from openpyxl.styles import Alignment, Font
    except ImportError:  # pragma: no cover - exercised without the extra
        raise DataError(str(path), None, "writing .xlsx needs openpyxl; pip install 'orgraph[xlsx]'") from None
    rows = tasks(G, plan=plan, on=on)
    by_plan: dict[str, list[TaskStatus]] = {}
    for t in rows:
        by_plan.setdefault(t.plan, []).append(t)
    meta = G.graph.get("plan_meta", {})
    shared = _shared_names(G)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    wrap = Alignment(wrap_text=True, vertical="top")
    for pid, ts in by_plan.items():
        ws = wb.create_sheet(_sheet_title(pid, used))
        m = meta.get(pid, {})
        lines = [
            ("Kế hoạch số", pid),
            ("Cơ quan ban hành", m.get("issuer") or ""),
            ("Ngày", f"{date.fromisoformat(m['date']):%d/%m/%Y}" if m.get("date") else ""),
            ("Tỉnh", m.get("province") or ""),
            ("Trích yếu", m.get("title") or ""),
            ("Tình trạng ngày", f"{on:%d/%m/%Y} (orgraph)"),
        ]
        for label, value in lines:
            if value:
                ws.append([label, _cell(value)])
        ws.append([])
        ws.append(list(TASK_SHEET_COLUMNS))
        for cell in ws[ws.max_row]:
            cell.font = Font(bold=True)
        for t in ts:
            ws.append(
                [
                    _cell(t.number),
                    _cell(t.text),
                    _cell(_assigned(t.lead, shared)),
                    _cell(_assigned(t.coordinators, shared)),
                    _cell(deadline_text(dict(t.rule), _vi(t.deadline))),
                    _cell(_current(t.lead)),
                    f"{lead_status_vi(t.status)} ({t.status})",
                    t.due,
                    _cell(_vi(t.source)),
                ]
            )
            for cell in ws[ws.max_row]:
                cell.alignment = wrap
                if isinstance(cell.value, date):
                    cell.number_format = "DD/MM/YYYY"
        for letter, width in zip("ABCDEFGHI", (8, 60, 30, 30, 18, 40, 24, 12, 24), strict=True):
            ws.column_dimensions[letter].width = width
    if not by_plan:
        ws = wb.create_sheet("tasks")
        ws.append(list(TASK_SHEET_COLUMNS))
    write_atomic(Path(path), wb.save)
    return len(rows)

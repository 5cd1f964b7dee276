"""The weekly report written out: Markdown, HTML (one offline file, every value escaped, a
Content-Security-Policy that allows no script and no request), xlsx (openpyxl) and JSON, all
drawn from one :class:`orgraph.queries.report.WeeklyReport`."""

from __future__ import annotations

import html
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..queries.report import WeeklyReport, vi_date

__all__ = ["FORMATS", "render", "write_report", "sections"]

FORMATS = ("md", "html", "xlsx", "json")

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; base-uri 'none'; form-action 'none'"


def _late(x: Any) -> str:
    weeks = f" ({x.missed} lần báo cáo chưa gửi)" if x.missed > 1 else ""
    return f"chậm {x.days_late} ngày ({x.working_days_late} ngày làm việc) kể từ hạn {vi_date(x.due)}{weeks}"


def sections(r: WeeklyReport) -> list[tuple[str, list[str], list[list[str]]]]:
    """The report as (heading, column names, rows of text): what every renderer lays out.

    >>> from datetime import date
    >>> from orgraph.loaders.plans import load_full
    >>> from orgraph.queries.report import weekly_report
    >>> r = weekly_report(load_full(), plan="47-KH/BCĐ", body="Tỉnh ủy Hưng Yên", week_of=date(2025, 8, 4))
    >>> [s[0] for s in sections(r)][:2]
    ['Nơi nhận báo cáo', 'I. Nhiệm vụ được giao']
    """
    send = [[x.to, x.via or "", x.schedule, x.source] for x in r.reports_to] or [
        ["(kế hoạch không nêu nơi nhận báo cáo của đơn vị này)", "", "", ""]
    ]
    tasks = []
    for t in r.tasks:
        role = t.role + (f" (kế thừa từ {t.inherited_from})" if t.inherited_from else "")
        last = f"{vi_date(t.last_date)}" + (f", {t.last_reference}" if t.last_reference else "") if t.last_date else ""
        tasks.append([t.number, t.text, role, t.deadline, vi_date(t.due) if t.due else "", t.state_label, last])
    done = [[x.number, x.text, vi_date(x.date), x.status, x.body, x.reference or "", x.note or ""] for x in r.done]
    late = [[x.number, x.text, x.deadline, _late(x)] for x in r.late]
    due = [[x.number, x.text, x.deadline, vi_date(x.due)] for x in r.due_next_week]
    inherited = [[t.number, t.inherited_from or "", " → ".join(t.path)] for t in r.tasks if t.inherited_from]
    out = [
        ("Nơi nhận báo cáo", ["Gửi", "Qua", "Thời hạn", "Nguồn"], send),
        (
            "I. Nhiệm vụ được giao",
            ["Số", "Nhiệm vụ", "Vai trò", "Thời hạn", "Hạn kế tiếp", "Tình trạng", "Cập nhật gần nhất"],
            tasks,
        ),
        (
            "II. Kết quả thực hiện trong tuần",
            ["Số", "Nhiệm vụ", "Ngày", "Tình trạng", "Đơn vị", "Số văn bản", "Ghi chú"],
            done,
        ),
        ("III. Nhiệm vụ chậm tiến độ", ["Số", "Nhiệm vụ", "Thời hạn", "Mức chậm"], late),
        ("IV. Nhiệm vụ đến hạn tuần tới", ["Số", "Nhiệm vụ", "Thời hạn", "Hạn"], due),
    ]
    if inherited:
        out.append(("Nhiệm vụ kế thừa qua sắp xếp", ["Số", "Đơn vị được giao trong kế hoạch", "Căn cứ"], inherited))
    return out


def _head(r: WeeklyReport) -> list[str]:
    return [
        r.title,
        r.period,
        f"Đơn vị báo cáo: {r.body}",
        f"Số liệu đến hết ngày {vi_date(r.week_end)}"
        + (f", theo sổ theo dõi {r.records_from}" if r.records_from else ""),
    ]


def _md_cell(s: str) -> str:
    """A table cell: one line, pipes escaped, and HTML shown as text (never as markup)."""
    s = html.escape(s, quote=False).replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(s.split())


def to_markdown(r: WeeklyReport) -> str:
    title, *rest = _head(r)
    lines = [f"# {title}", "", *(f"{x}  " for x in rest), ""]
    for heading, cols, rows in sections(r):
        lines += [f"## {heading}", ""]
        if not rows:
            lines += ["Không có.", ""]
            continue
        lines.append("| " + " | ".join(cols) + " |")
        lines.append("|" + "---|" * len(cols))
        lines += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in rows]
        lines.append("")
    return "\n".join(lines)


_STYLE = """
body{font-family:"Times New Roman",serif;max-width:1100px;margin:2em auto;color:#111;line-height:1.4}
h1{font-size:1.3em;text-align:center}p.meta{text-align:center;margin:.2em}
table{border-collapse:collapse;width:100%;margin:.5em 0 1.5em}th,td{border:1px solid #999;padding:4px 6px;
vertical-align:top;text-align:left;font-size:.92em}th{background:#eee}
td.overdue{color:#b71c1c;font-weight:bold}td.done{color:#1b5e20}
"""


def to_html(r: WeeklyReport) -> str:
    e = html.escape
    title, *rest = _head(r)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="vi"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{e(CSP)}">',
        f"<title>{e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        *(f'<p class="meta">{e(x)}</p>' for x in rest),
    ]
    labels = {"quá hạn": "overdue", "hoàn thành": "done"}
    for heading, cols, rows in sections(r):
        parts.append(f"<h2>{e(heading)}</h2>")
        if not rows:
            parts.append("<p>Không có.</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(c)}</th>" for c in cols) + "</tr></thead><tbody>")
        for row in rows:
            cells = "".join(f'<td class="{labels[c]}">{e(c)}</td>' if c in labels else f"<td>{e(c)}</td>" for c in row)
            parts.append(f"<tr>{cells}</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def to_json(r: WeeklyReport) -> str:
    return json.dumps(r.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _xlsx(r: WeeklyReport, path: str) -> None:
    import openpyxl
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Báo cáo"
    for i, x in enumerate(_head(r)):
        ws.append([x])
        if i == 0:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13)
    for heading, cols, rows in sections(r):
        ws.append([])
        ws.append([heading])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append(cols)
        for c in range(1, len(cols) + 1):
            ws.cell(row=ws.max_row, column=c).font = Font(bold=True)
        for row in rows or [["Không có."]]:
            ws.append(row)
            for cell in ws[ws.max_row]:
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
    for col, width in zip("ABCDEFG", (12, 70, 22, 30, 14, 16, 24), strict=False):
        ws.column_dimensions[col].width = width
    wb.save(path)


_TEXT: dict[str, Callable[[WeeklyReport], str]] = {"md": to_markdown, "html": to_html, "json": to_json}


def render(r: WeeklyReport, fmt: str) -> str:
    """The report as text in ``md``, ``html`` or ``json`` (xlsx is binary: see :func:`write_report`).

    >>> from datetime import date
    >>> from orgraph.loaders.plans import load_full
    >>> from orgraph.queries.report import weekly_report
    >>> r = weekly_report(load_full(), plan="47-KH/BCĐ", body="Tỉnh ủy Hưng Yên", week_of=date(2025, 8, 4))
    >>> render(r, "md").splitlines()[0]
    '# BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH SỐ 47-KH/BCĐ'
    """
    if fmt not in _TEXT:
        raise ValueError(f"choose one of {', '.join(FORMATS)}")
    return _TEXT[fmt](r)


def write_report(r: WeeklyReport, path: str | Path, fmt: str | None = None) -> str:
    """Write the report (the format from ``fmt`` or the file's suffix), atomically; returns the format."""
    p = Path(path)
    fmt = fmt or {".md": "md", ".html": "html", ".htm": "html", ".xlsx": "xlsx", ".json": "json"}.get(
        p.suffix.lower(), "md"
    )
    if fmt not in FORMATS:
        raise ValueError(f"choose one of {', '.join(FORMATS)}")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.name}.", suffix=p.suffix, dir=p.parent if str(p.parent) else ".")
    try:
        if fmt == "xlsx":
            os.close(fd)
            _xlsx(r, tmp)
        else:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(render(r, fmt))
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return fmt

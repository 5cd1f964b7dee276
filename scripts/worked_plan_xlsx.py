"""Write examples/worked_plan.xlsx: the worked example plan (examples/worked_plan.yaml) laid
out the way the seed plans' appendix is — title lines, the plan's lines, a two-row merged
header, a section heading, a lead body merged over two tasks, dates as cells and as text.

    python scripts/worked_plan_xlsx.py      # needs openpyxl (pip install 'orgraph[xlsx]')
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

OUT = Path(__file__).resolve().parents[1] / "examples" / "worked_plan.xlsx"


def main() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Phụ lục"
    ws.append(["PHỤ LỤC"])
    ws.merge_cells("A1:F1")
    ws.append(["Các nhiệm vụ cụ thể và tiến độ thực hiện (ví dụ)"])
    ws.merge_cells("A2:F2")
    ws.append(["Kế hoạch số", "VD-01/TB"])
    ws.append(["Cơ quan ban hành", "Ban Thường vụ Tỉnh ủy Thái Bình (ví dụ)"])
    ws.append(["Ngày", "15/05/2025"])
    ws.append(["Trích yếu", "Ví dụ: kế hoạch giao trước ngày 01/7/2025"])
    ws.append([])
    ws.append(["STT", "Nội dung, nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp", "Dự kiến thời gian", "Ghi chú"])
    ws.append([None, None, "tham mưu", None, "hoàn thành", None])
    for col in "ABDF":
        ws.merge_cells(f"{col}8:{col}9")
    ws.append(["I", "Công tác tổ chức, cán bộ"])
    ws.merge_cells("B10:F10")
    ws.append(
        [
            1,
            "Rà soát, tổng hợp danh sách cán bộ sau sắp xếp (ví dụ).",
            "Ban Tổ chức Tỉnh ủy Thái Bình",
            "Sở Nội vụ tỉnh Thái Bình",
            dt.datetime(2025, 9, 30),
            None,
        ]
    )
    ws.append(["II", "Bàn giao và lấy ý kiến"])
    ws.merge_cells("B12:F12")
    ws.append([2, "Bàn giao hồ sơ, tài liệu của huyện (ví dụ).", "Huyện ủy Hưng Hà", None, "Trước ngày 31/8/2025"])
    ws.append(
        [3, "Tổng hợp ý kiến nhân dân về sắp xếp phường (ví dụ).", "body:commune:00019:dang-uy", None, "Thường xuyên"]
    )
    for row in ws.iter_rows(min_row=8, max_row=9):
        for c in row:
            c.font = Font(bold=True)
            c.alignment = Alignment(wrap_text=True, vertical="center")
    OUT.parent.mkdir(parents=True, exist_ok=True)
    wb.save(OUT)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

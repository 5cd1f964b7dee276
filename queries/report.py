"""The weekly progress report a body sends upward, as one model (plain data) that the
Markdown, HTML, xlsx and JSON renderers (:mod:`orgraph.viz.report`) all draw from.

It says, in Vietnamese and in the plans' own terms: the tasks the body leads, coordinates or
inherited; their status and dates; what was done that week; what is late and by how much;
what falls due next week; and the body it reports to (from the plan's ``REPORTS_TO`` lines).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..graph.errors import UnknownUnitError
from ..graph.model import Attr, EventType, TaskState
from .progress import STATE_LABELS, Record, TaskApi, Tracked, counts_for, due_dates, track
from .results import Hop, jsonable
from .store import Store
from .tasks import next_due

__all__ = ["WeeklyReport", "ReportTask", "ReportDone", "ReportLate", "ReportDue", "ReportLine", "weekly_report"]

WEEKDAYS_VI = {
    "monday": "thứ Hai",
    "tuesday": "thứ Ba",
    "wednesday": "thứ Tư",
    "thursday": "thứ Năm",
    "friday": "thứ Sáu",
    "saturday": "thứ Bảy",
    "sunday": "Chủ nhật",
}
ROLE_VI = {"lead": "chủ trì", "coordinator": "phối hợp"}
EVENT_VI: dict[str, str] = {
    EventType.FUSION: "hợp nhất",
    EventType.INTEGRATION: "nhập vào",
    EventType.SPLIT: "chia tách",
    EventType.PARTIAL_TRANSFER: "điều chỉnh một phần",
    EventType.RENAME: "đổi tên",
    EventType.LEVEL_ABOLISHED: "kết thúc hoạt động của cấp",
    EventType.TYPE_CHANGE: "chuyển loại",
    EventType.DISSOLUTION: "giải thể",
}


def hop_vi(h: Hop) -> str:
    """One step of a succession path, in Vietnamese: what happened, when, on what basis.

    >>> from orgraph.queries.results import Hop
    >>> hop_vi(Hop("e", "fusion", date(2025, 7, 1), "202/2025/QH15", date(2025, 6, 12), "Điều 1 khoản 6",
    ...            "a", "b", "whole", False, True))
    'hợp nhất ngày 01/7/2025, căn cứ 202/2025/QH15 ngày 12/6/2025, Điều 1 khoản 6 (theo mô hình hóa của orgraph)'
    """
    text = f"{EVENT_VI.get(h.type, h.type)} ngày {vi_date(h.date)}"
    if h.basis:
        text += f", căn cứ {h.basis}" + (f" ngày {vi_date(h.basis_date)}" if h.basis_date else "")
    else:
        text += ", chưa ghi căn cứ pháp lý"
    if h.clause:
        text += f", {h.clause}"
    return text + (" (theo mô hình hóa của orgraph)" if h.derived else "")


# the classes of bodies the seeds' plans name, in the plans' words (seed_plans.yaml, generic_keys)
GENERIC_VI = {
    "all_levels_party_committees": "Các cấp ủy, tổ chức đảng, cơ quan, đơn vị",
    "provinces_and_cities": "Các tỉnh ủy, thành ủy",
    "related_agencies": "Các cơ quan, đơn vị liên quan",
    "agencies_units_and_localities": "Các cơ quan, đơn vị, địa phương",
    "whole_political_system": "Toàn hệ thống chính trị",
    "provincial_socio_political_organisations": "Các tổ chức chính trị - xã hội cấp tỉnh",
    "commune_party_committees": "Đảng ủy các xã, phường",
    "commune_party_standing_committees": "Ban Thường vụ Đảng ủy các xã, phường",
    "commune_people_committees": "Ủy ban nhân dân các xã, phường",
    "communes_of_province": "Các xã, phường",
    "provincial_departments_and_localities": "Các sở, ban, ngành, địa phương",
    "party_committees_under_provincial": "Các đảng ủy trực thuộc Tỉnh ủy",
    "provincial_party_advisory_bodies": "Các cơ quan chuyên trách tham mưu, giúp việc Tỉnh ủy",
    "superior_party_committees_of_grassroots": "Đảng ủy cấp trên trực tiếp của tổ chức cơ sở đảng",
}


def vi_date(d: date | None) -> str:
    """A date as the plans write it.

    >>> vi_date(date(2025, 8, 4))
    '04/8/2025'
    """
    return f"{d.day:02d}/{d.month}/{d.year}" if d else "—"


def deadline_vi(rule: Mapping[str, Any], text: str | None = None) -> str:
    """A deadline in the plan's words when it has them, else said in Vietnamese from the rule.

    >>> deadline_vi({"kind": "weekly", "weekday": "wednesday", "before": "15:00"})
    'trước 15 giờ thứ Tư hằng tuần'
    """
    if text:
        return text
    kind = rule.get("kind")
    if kind == "date":
        return f"trước ngày {vi_date(rule['date'])}"
    if kind == "by_month":
        y, m = rule["month"].split("-")
        return f"trong tháng {int(m)}/{y}"
    if kind == "weekly":
        at = f"trước {int(rule['before'].split(':')[0])} giờ " if rule.get("before") else ""
        day = WEEKDAYS_VI.get(rule.get("weekday") or "", "")
        return f"{at}{day} hằng tuần".strip() if day else f"{at}hằng tuần".strip()
    if kind == "after_event":
        n = rule.get("within_working_days")
        return f"{n} ngày làm việc sau sự kiện {rule.get('event')}" if n else f"theo sự kiện {rule.get('event')}"
    if kind == "regular":
        return "thường xuyên"
    if kind == "illegible":
        return "thời hạn không đọc được trong bản gốc"
    return "không nêu thời hạn"


@dataclass(frozen=True, slots=True)
class ReportTask:
    id: str
    number: str
    text: str
    role: str  # chủ trì | phối hợp
    assigned: str  # the body or class of bodies the plan names
    inherited_from: str | None  # the body named in the plan, when the reporting body took it over
    path: tuple[str, ...]  # how it passed (events, dates, legal basis)
    deadline: str
    due: date | None
    state: str  # done | in_progress | open | overdue
    state_label: str  # hoàn thành | đang thực hiện | chưa đến hạn | quá hạn
    last_date: date | None
    last_reference: str | None


@dataclass(frozen=True, slots=True)
class ReportDone:
    task: str
    number: str
    text: str
    date: date
    status: str
    body: str
    reference: str | None
    note: str | None


@dataclass(frozen=True, slots=True)
class ReportLate:
    task: str
    number: str
    text: str
    deadline: str
    due: date
    missed: int  # how many due dates passed with nothing recorded
    days_late: int
    working_days_late: int


@dataclass(frozen=True, slots=True)
class ReportDue:
    task: str
    number: str
    text: str
    deadline: str
    due: date


@dataclass(frozen=True, slots=True)
class ReportLine:
    to: str
    via: str | None
    schedule: str
    source: str


@dataclass(frozen=True, slots=True)
class WeeklyReport:
    """One body's weekly report on one plan; dates are counted at the end of the week."""

    plan: str
    body: str
    body_id: str
    week_start: date  # Monday
    week_end: date  # Sunday
    reports_to: tuple[ReportLine, ...]
    tasks: tuple[ReportTask, ...]
    done: tuple[ReportDone, ...]
    late: tuple[ReportLate, ...]
    due_next_week: tuple[ReportDue, ...]
    records_from: str  # the progress file(s) read

    @property
    def title(self) -> str:
        return f"BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH SỐ {self.plan}"

    @property
    def period(self) -> str:
        return f"Tuần từ {vi_date(self.week_start)} đến {vi_date(self.week_end)}"

    def to_dict(self) -> dict[str, Any]:
        d = jsonable(self)
        d["title"], d["period"] = self.title, self.period
        return d


def _reports_to(store: Store, body: str, plan: str, on: date) -> tuple[ReportLine, ...]:
    """The plan's reporting lines that start at ``body`` or at a class of bodies it is in."""
    out = []
    for e in store.reports_to(plan):
        src = (e.get(Attr.SOURCES) or ["?"])[0].removeprefix("seed:")
        schedule = deadline_vi(e.get(Attr.SCHEDULE) or {})
        if e["src"] == body:
            out.append(ReportLine(e["dst_name"], None, schedule, src))
        elif e.get(Attr.FROM_GENERIC) and body in store.generic_units(e[Attr.FROM_GENERIC], None, on):
            out.append(ReportLine(e["dst_name"], e["src_name"], schedule, src))
    return tuple(dict.fromkeys(out))


def _deadline(t: Any, on: date) -> str:
    """The plan's words for the deadline, or the rule said in Vietnamese when it has none."""
    return deadline_vi(t.rule, None if t.deadline == next_due(dict(t.rule), on)[1] else t.deadline)


def _role(tr: Tracked, body: str) -> tuple[str, Any] | None:
    for h in (*tr.task.lead, *tr.task.coordinators):
        if body in {x.id for x in h.holders}:
            return h.role, h
    return None


def weekly_report(
    G: Any,
    records: Sequence[Record] = (),
    *,
    plan: str,
    body: str,
    week_of: date,
    events: Mapping[str, date] | None = None,
    records_from: str = "",
) -> WeeklyReport:
    """The weekly report of ``body`` on ``plan`` for the week (Monday to Sunday) holding
    ``week_of``: its tasks (led, coordinated or inherited), their state at the week's end,
    the records of that week, what is late, what falls due the next week, and where it reports.

    >>> from orgraph.loaders.plans import load_full
    >>> r = weekly_report(load_full(), plan="47-KH/BCĐ", body="Tỉnh ủy Hưng Yên", week_of=date(2025, 8, 6))
    >>> r.period, r.reports_to[0].to
    ('Tuần từ 04/8/2025 đến 10/8/2025', 'Ban Chỉ đạo Trung ương về tổng kết Nghị quyết 18')
    """
    start = week_of - timedelta(days=week_of.weekday())
    end = start + timedelta(days=6)
    api = TaskApi(G)
    b = api.resolve(body, end)
    ref = api.holder(b, end).assigned
    assert ref is not None
    tracked = track(G, records, on=end, plan=plan, events=events)
    rows, done, late, due = [], [], [], []
    for tr in tracked:
        got = _role(tr, b)
        if got is None:
            continue
        role, h = got
        t = tr.task
        mine = [o for o in tr.obligations if b in {x.id for x in o.bodies}]
        ob = mine[0] if mine and role == "lead" else None
        joint = ob is None or ob.generic is None
        counted = [r for r in tr.records if joint or counts_for(api, r, b, end)]
        last = max(counted, key=lambda r: r.date) if counted else None
        state = ob.state if ob else tr.state
        rows.append(
            ReportTask(
                t.id.removeprefix("task:"),
                t.number,
                t.text,
                ROLE_VI[role],
                h.assigned.name if h.assigned else GENERIC_VI.get(h.generic or "", h.generic or ""),
                h.assigned.name if h.status == "inherited" and h.assigned else None,
                tuple(hop_vi(x) for x in h.path) if h.status == "inherited" else (),
                _deadline(t, end),
                ob.due if ob else next((o.due for o in tr.obligations if o.due), None),
                state.value,
                STATE_LABELS[state],
                last.date if last else None,
                last.reference if last else None,
            )
        )
        for r in counted:
            if start <= r.date <= end:
                done.append(
                    ReportDone(
                        t.id.removeprefix("task:"),
                        t.number,
                        t.text,
                        r.date,
                        r.status.value,
                        r.body.name,
                        r.reference,
                        r.note,
                    )
                )
        if ob and ob.state is TaskState.OVERDUE:
            late.append(
                ReportLate(
                    t.id.removeprefix("task:"),
                    t.number,
                    t.text,
                    _deadline(t, end),
                    ob.missed[0],
                    len(ob.missed),
                    ob.days_late,
                    ob.working_days_late,
                )
            )
        if ob:
            one = Tracked(t, end, tr.state, (ob,), tr.records)
            for d in due_dates(one, end + timedelta(days=1), end + timedelta(days=7), events):
                due.append(ReportDue(t.id.removeprefix("task:"), t.number, t.text, _deadline(t, end), d.due))
    if not rows:
        raise UnknownUnitError(body, [f"{body} leads, coordinates or inherited no task of {plan} on {end}"])
    return WeeklyReport(
        plan=tracked[0].task.plan,
        body=ref.name,
        body_id=b,
        week_start=start,
        week_end=end,
        reports_to=_reports_to(api.store, b, tracked[0].task.plan, end),
        tasks=tuple(rows),
        done=tuple(sorted(done, key=lambda x: (x.date, x.task))),
        late=tuple(sorted(late, key=lambda x: (-x.days_late, x.task))),
        due_next_week=tuple(sorted(due, key=lambda x: (x.due, x.task))),
        records_from=records_from,
    )

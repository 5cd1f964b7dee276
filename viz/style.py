"""How things look: colours, shapes and line styles, said once, and the legend built from them.

Level (province, district, commune, body, task) is shown by shape; the official type by
colour; old/new/unchanged by fill and border; an event by its line (whole solid, part
dashed, the default successor thick). Everything here is plain data that vis-network reads.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from ..graph.i18n import t as tr
from ..graph.model import EventType, Kind, NodeKind, TaskState, UnitType

__all__ = [
    "State",
    "Line",
    "node_style",
    "edge_style",
    "task_style",
    "legend_for",
    "EDGE_DEFAULTS",
    "TASK_STATES",
]

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', sans-serif"


class State(StrEnum):
    """Where a node stands in the picture."""

    OLD = "old"  # ended by the change shown
    NEW = "new"  # began with the change shown
    SAME = "unchanged"  # live before and after
    CONTEXT = "context"  # took part in an event on the path, shown for context
    FOCUS = "focus"  # the unit the picture is about


class Line(StrEnum):
    """Kinds of lines, each with its own look."""

    WHOLE = "whole"  # the whole input went into the output
    PART = "part"  # part of the input went into the output
    DEFAULT = "default"  # part, and this output is the input's default successor
    RENAME = "rename"
    TYPE_CHANGE = "type_change"
    MODELLED = "modelled"  # a relation orgraph derives (e.g. a district through its communes)
    HIERARCHY = "hierarchy"  # unit -> its parent, drawn parent -> child
    LEADS = "leads"
    COORDINATES = "coordinates"
    INHERITED = "inherited"  # a task's responsibility passed along a succession path


# Level -> vis shape. Shapes with the label inside (box, ellipse) keep columns tidy; the few
# provinces get a hexagon with the label below.
SHAPE: dict[str, str] = {
    Kind.PROVINCE: "hexagon",
    Kind.DISTRICT: "ellipse",
    Kind.COMMUNE: "box",
    "body": "box",
    NodeKind.TASK: "box",
}
LEVEL_NAME: dict[str, str] = {
    Kind.PROVINCE: "province",
    Kind.DISTRICT: "district",
    Kind.COMMUNE: "commune",
    "body": "body",
    NodeKind.TASK: "task",
}

# Official type -> colour (Material palette, dark enough for white text).
TYPE_COLOUR: dict[str, str] = {
    UnitType.TINH: "#6d4c41",
    UnitType.THANH_PHO_TW: "#c62828",
    UnitType.HUYEN: "#00838f",
    UnitType.QUAN: "#3949ab",
    UnitType.THI_XA: "#827717",
    UnitType.THANH_PHO_THUOC_TINH: "#6a1b9a",
    UnitType.THANH_PHO_THUOC_TP: "#6a1b9a",
    UnitType.XA: "#2e7d32",
    UnitType.PHUONG: "#1565c0",
    UnitType.THI_TRAN: "#e65100",
    UnitType.DAC_KHU: "#ad1457",
    UnitType.BODY: "#455a64",
}
BODY_COLOUR: dict[str, str] = {
    Kind.PARTY_COMMITTEE: "#b71c1c",
    Kind.PARTY_BODY: "#d84315",
    Kind.COUNCIL: "#4527a0",
    Kind.PEOPLES_COMMITTEE: "#1565c0",
    Kind.AGENCY: "#00695c",
    Kind.FRONT: "#ef6c00",
    Kind.CENTRAL: "#37474f",
}
TASK_COLOUR = "#fff3c4"
# a task's progress on the picture's date (orgraph.graph.model.TaskState) -> (fill, legend text)
PROGRESS_FILL: dict[str, tuple[str, str]] = {
    TaskState.DONE: ("#c8e6c9", "done (a record says so)"),
    TaskState.IN_PROGRESS: ("#bbdefb", "in progress"),
    TaskState.OPEN: (TASK_COLOUR, "open: not done, not yet due"),
    TaskState.OVERDUE: ("#ffcdd2", "overdue: past its deadline with no record of it done"),
}
GENERIC_COLOUR = "#78909c"
TASK_STATES: dict[str, tuple[str, float, bool, str]] = {
    # status -> (border colour, border width, dashed, legend text)
    "live": ("#8d6e00", 1.5, False, "task with a live lead"),
    "inherited": ("#d84315", 2.5, False, "task whose lead passed to a successor"),
    "generic": ("#78909c", 1.5, False, "task led by a class of bodies"),
    "not_yet": ("#78909c", 1.5, True, "task whose lead does not exist yet"),
    "ambiguous": ("#ef6c00", 4.0, True, "ambiguous: lead split, no default successor"),
    "orphan": ("#d50000", 4.5, False, "orphan: lead ended with no successor"),
    "no_lead": ("#d50000", 4.5, True, "no lead named in the plan"),
}

LINE: dict[Line, dict[str, Any]] = {
    Line.WHOLE: {"color": "#546e7a", "width": 1.6, "dashes": False},
    Line.PART: {"color": "#ef8f00", "width": 1.6, "dashes": [6, 4]},
    Line.DEFAULT: {"color": "#d84315", "width": 4.0, "dashes": [10, 4]},
    Line.RENAME: {"color": "#8e24aa", "width": 2.2, "dashes": False},
    Line.TYPE_CHANGE: {"color": "#00897b", "width": 2.2, "dashes": False},
    Line.MODELLED: {"color": "#9e9e9e", "width": 1.2, "dashes": [2, 4]},
    Line.HIERARCHY: {"color": "#cfd8dc", "width": 1.0, "dashes": False},
    Line.LEADS: {"color": "#37474f", "width": 2.6, "dashes": False},
    Line.COORDINATES: {"color": "#90a4ae", "width": 1.4, "dashes": [5, 4]},
    Line.INHERITED: {"color": "#d84315", "width": 2.4, "dashes": [2, 5]},
}
LINE_TEXT: dict[Line, str] = {
    Line.WHOLE: "whole unit went into",
    Line.PART: "part of the unit went into",
    Line.DEFAULT: "part, default successor",
    Line.RENAME: "renamed",
    Line.TYPE_CHANGE: "type changed",
    Line.MODELLED: "modelled relation",
    Line.HIERARCHY: "part of (before the change)",
    Line.LEADS: "leads",
    Line.COORDINATES: "coordinates",
    Line.INHERITED: "responsibility inherited along",
}

STATE_TEXT: dict[State, str] = {
    State.OLD: "old (ended)",
    State.NEW: "new",
    State.SAME: "unchanged",
    State.CONTEXT: "context",
    State.FOCUS: "the unit asked about",
}


def _mix(hex_colour: str, white: float) -> str:
    """``hex_colour`` mixed with ``white`` (0..1) of white."""
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    r, g, b = (round(c + (255 - c) * white) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def colour_of(kind: str, type_: str | None) -> str:
    if kind in BODY_COLOUR:
        return BODY_COLOUR[kind]
    if kind == "generic":
        return GENERIC_COLOUR
    if kind == NodeKind.TASK:
        return TASK_COLOUR
    return TYPE_COLOUR.get(type_ or "", "#607d8b")


def level_of(kind: str) -> str:
    if kind in (Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, NodeKind.TASK):
        return str(kind)
    return "body"


def node_style(kind: str, type_: str | None, state: State) -> dict[str, Any]:
    """vis-network node options for a unit of this kind and type in this state."""
    level = level_of(kind)
    base = colour_of(kind, type_)
    shape = SHAPE[level]
    label_inside = shape in ("box", "ellipse", "database")
    if state in (State.NEW, State.FOCUS):
        fill, border, text = base, _darker(base), "#ffffff"
    elif state is State.SAME:
        fill, border, text = _mix(base, 0.45), base, "#ffffff"
    elif state is State.CONTEXT:
        fill, border, text = _mix(base, 0.88), _mix(base, 0.45), "#616161"
    else:  # OLD
        fill, border, text = _mix(base, 0.82), base, "#263238"
    if not label_inside:
        text = "#263238"
    style: dict[str, Any] = {
        "shape": shape,
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": "#ffeb3b", "border": "#f57f17"},
            "hover": {
                "background": _mix(base, 0.3) if state is not State.NEW else base,
                "border": "#212121",
            },
        },
        "borderWidth": 1.5,
        "borderWidthSelected": 3,
        "font": {"color": text, "size": 13, "face": FONT},
        "shapeProperties": {"borderDashes": [4, 3] if state in (State.OLD, State.CONTEXT) else False},
    }
    if level == Kind.PROVINCE:
        style["size"] = 22
        style["font"] = {"color": "#263238", "size": 16, "face": FONT, "bold": {"color": "#263238"}}
        style["borderWidth"] = 2.5
    elif level == Kind.DISTRICT:
        style["font"]["size"] = 14
        style["margin"] = {"top": 6, "bottom": 6, "left": 10, "right": 10}
    elif level == NodeKind.TASK:
        style["margin"] = 8
        style["font"]["color"] = "#212121"
        style["widthConstraint"] = {"maximum": 260}
    elif level == "body":
        style["margin"] = {"top": 7, "bottom": 7, "left": 12, "right": 12}
        style["shapeProperties"]["borderRadius"] = 14
        style["widthConstraint"] = {"maximum": 240}
    else:
        style["margin"] = {"top": 4, "bottom": 4, "left": 7, "right": 7}
        style["shapeProperties"]["borderRadius"] = 4
    if state is State.FOCUS:
        style["borderWidth"] = 5
        style["color"]["border"] = "#ffab00"
        style["shadow"] = {
            "enabled": True,
            "size": 12,
            "color": "rgba(255,171,0,0.6)",
            "x": 0,
            "y": 0,
        }
        style["font"] = dict(style["font"], size=style["font"]["size"] + 2)
    return style


def task_style(status: str, open_: bool, progress: str | None = None) -> dict[str, Any]:
    """vis-network node options for a task: the border says who leads it (orphans and the like
    stand out), the fill its progress (done, in progress, open, overdue) when that is known."""
    border, width, dashed, _ = TASK_STATES.get(status, TASK_STATES["live"])
    fill = PROGRESS_FILL[TaskState(progress)][0] if progress else TASK_COLOUR if open_ else "#f5f5f5"
    open_ = open_ or progress is not None
    return {
        "shape": "box",
        "color": {
            "background": fill,
            "border": border,
            "highlight": {"background": "#ffeb3b", "border": "#f57f17"},
            "hover": {"background": "#ffe082", "border": "#212121"},
        },
        "borderWidth": width,
        "borderWidthSelected": width + 1.5,
        "font": {
            "color": "#212121" if open_ else "#757575",
            "size": 13,
            "face": FONT,
            "align": "left",
        },
        "shapeProperties": {"borderDashes": [7, 4] if dashed else False, "borderRadius": 3},
        "margin": {"top": 6, "bottom": 6, "left": 8, "right": 8},
        "widthConstraint": {"minimum": 300, "maximum": 300},
    }


def _darker(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"#{int(r * 0.7):02x}{int(g * 0.7):02x}{int(b * 0.7):02x}"


def line_for(event_type: str | None, portion_part: bool, default: bool) -> Line:
    """The line kind for one input -> output relation of an event."""
    if portion_part:
        return Line.DEFAULT if default else Line.PART
    if event_type == EventType.RENAME:
        return Line.RENAME
    if event_type == EventType.TYPE_CHANGE:
        return Line.TYPE_CHANGE
    return Line.WHOLE


def edge_style(line: Line) -> dict[str, Any]:
    """vis-network options of one edge of this kind (the rest is in :data:`EDGE_DEFAULTS`)."""
    spec = LINE[line]
    style: dict[str, Any] = {
        "color": {"color": spec["color"]},
        "width": spec["width"],
        "dashes": spec["dashes"],
    }
    if line is Line.HIERARCHY:
        style["arrows"] = {"to": {"enabled": False}}
        style["selectionWidth"] = 0
    return style


EDGE_DEFAULTS: dict[str, Any] = {
    "color": {"highlight": "#f57f17", "hover": "#212121", "opacity": 1.0},
    "arrows": {"to": {"enabled": True, "scaleFactor": 0.55}},
    "smooth": {
        "enabled": True,
        "type": "cubicBezier",
        "forceDirection": "horizontal",
        "roundness": 0.55,
    },
    "hoverWidth": 1.5,
    "selectionWidth": 2,
}


def legend_for(nodes: list[dict[str, Any]], edges: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Legend entries for exactly what the picture uses, in a stable order.

    Each entry is plain data: ``{"what": "node", "label", "shape", "fill", "border", "dashed"}``
    or ``{"what": "edge", "label", "color", "width", "dashes"}``.
    """
    out: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    levels = [Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE, "body", NodeKind.TASK]
    node_keys = sorted(
        {(n["level"], n.get("type") or "", n["state"]) for n in nodes},
        key=lambda k: (
            levels.index(k[0]) if k[0] in levels else 9,
            k[1],
            list(State).index(State(k[2])),
        ),
    )
    for level, type_, state in node_keys:
        if level == NodeKind.TASK:
            continue  # tasks are listed by their status below
        key = (level, type_, state)
        if key in seen:
            continue
        seen.add(key)
        kind = (
            level
            if level != "body"
            else next(
                (n["kind"] for n in nodes if n["level"] == "body" and n.get("type") == type_),
                "body",
            )
        )
        st = node_style(kind, type_ if level != "body" else None, State(state))
        if level == "body" and type_ == "generic":
            label = tr("a class of bodies (generic assignee)")
        elif level == "body":
            label = tr("body: {kind}", kind=tr(type_.replace("_", " "))) if type_ else tr("body")
        else:
            label = f"{tr(LEVEL_NAME[level])}: {type_}" if type_ else tr(LEVEL_NAME[level])
        if type_ != "generic":
            label = f"{label} — {tr(STATE_TEXT[State(state)])}"
        out.append(
            {
                "what": "node",
                "label": label,
                "shape": "pill" if level == "body" else st["shape"],
                "fill": st["color"]["background"],
                "border": st["color"]["border"],
                "dashed": bool(st["shapeProperties"].get("borderDashes")),
            }
        )
    for task_state, (border, width, dashed, text) in TASK_STATES.items():
        if any(n.get("task_state") == task_state for n in nodes):
            out.append(
                {
                    "what": "node",
                    "label": tr(text),
                    "shape": "box",
                    "fill": TASK_COLOUR,
                    "border": border,
                    "dashed": dashed,
                    "width": width,
                }
            )
    for state, (fill, text) in PROGRESS_FILL.items():
        if any(n.get("progress") == state for n in nodes):
            out.append(
                {
                    "what": "node",
                    "label": tr("task {state}", state=tr(text)),
                    "shape": "box",
                    "fill": fill,
                    "border": "#8d6e00",
                    "dashed": False,
                }
            )
    used = {e["line"] for e in edges}
    for line in Line:
        if line.value in used:
            spec = LINE[line]
            out.append(
                {
                    "what": "edge",
                    "label": tr(LINE_TEXT[line]),
                    "color": spec["color"],
                    "width": spec["width"],
                    "dashes": bool(spec["dashes"]),
                }
            )
    return out

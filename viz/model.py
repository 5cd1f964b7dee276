"""The data of a picture, built from the graph by pure functions; nothing here knows pyvis.

Every builder returns a :class:`Picture`: vis-network nodes and edges as plain dicts (with
positions, so the page needs no physics), a title, a legend, the shaded frames behind groups
of nodes and the column headers. Texts in it are plain text, never HTML; the renderer
escapes them for the page.

Builders take unit ids: the command line resolves names first. They never change ``G``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import networkx as nx

from ..graph.build import (
    children_on,
    event_inputs,
    event_outputs,
    in_events,
    is_live,
    out_events,
    parent_on,
)
from ..graph.errors import NotLiveError, UnknownUnitError
from ..graph.i18n import say
from ..graph.i18n import t as tr
from ..graph.model import Attr, EdgeKind, EventType, Kind, NodeKind, Portion
from ..graph.names import fold
from ..queries.succession import default_hop, is_part, lineage_walk, prefers
from .layout import Block, place, text_width
from .style import Line, State, edge_style, legend_for, level_of, line_for, node_style, task_style

__all__ = [
    "Picture",
    "province_picture",
    "unit_picture",
    "country_picture",
    "diff_picture",
    "tasks_picture",
]

DAY = timedelta(days=1)
SHADES = ["#eef3f8", "#f8f2ea", "#eef6ee", "#f5eef6", "#f6f5e8", "#eaf5f5", "#f8eeee"]
ORDER: dict[str, int] = {Kind.PROVINCE: 0, Kind.DISTRICT: 1, Kind.COMMUNE: 2}


@dataclass
class Picture:
    """What a page shows. ``nodes`` and ``edges`` are vis-network items (plain dicts) with
    our own keys besides: ``tip`` (the hover text), ``search`` (folded text the search box
    matches), ``level``, ``kind``, ``type`` and ``state`` on nodes, ``line`` on edges."""

    view: str  # province | unit | country | diff | tasks
    title: str
    subtitle: str
    nodes: list[dict[str, Any]]
    edges: list[dict[str, Any]]
    legend: list[dict[str, Any]]
    frames: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def texts(self) -> Iterator[str]:
        """Every text the page will show (title, labels, tooltips, legend, captions)."""
        yield self.title
        yield self.subtitle
        yield from self.notes
        for item in (*self.nodes, *self.edges):
            if item.get("label"):
                yield item["label"]
            tip = item.get("tip") or {}
            yield tip.get("head", "")
            yield tip.get("sub", "")
            for k, v in tip.get("rows", ()):
                yield k
                yield v
        for x in self.legend:
            yield x["label"]
        for f in self.frames:
            yield f["caption"]
        for h in self.headers:
            yield h["text"]


# --------------------------------------------------------------------------- reading G
def _a(G: nx.MultiDiGraph, n: str) -> dict[str, Any]:
    return G.nodes[n]


def _iso(d: date | None) -> str:
    return d.isoformat() if d else "?"


def _validity(a: dict[str, Any]) -> str:
    start, end = a.get(Attr.VALID_FROM), a.get(Attr.VALID_TO)
    if start and end:
        return tr("{start} to {last}", start=start.isoformat(), last=(end - DAY).isoformat())
    if end:
        return tr("until {last} (ended {end})", last=(end - DAY).isoformat(), end=end.isoformat())
    if start:
        return tr("since {start}", start=start.isoformat())
    return tr("throughout the period recorded")


def _chain(G: nx.MultiDiGraph, uid: str, on: date) -> str:
    """Names of the unit's parents on ``on``, nearest first."""
    names: list[str] = []
    cur, seen = uid, {uid}
    while True:
        p = parent_on(G, cur, on)
        if p is None or p in seen:
            return ", ".join(names)
        seen.add(p)
        names.append(_a(G, p)[Attr.NAME])
        cur = p


def _probe(a: dict[str, Any]) -> date:
    """A day the unit was live: its first, else the day before its end, else today."""
    if a.get(Attr.VALID_FROM):
        return a[Attr.VALID_FROM]
    if a.get(Attr.VALID_TO):
        return a[Attr.VALID_TO] - DAY
    return date.today()


def _basis(e: dict[str, Any]) -> str:
    if not e.get(Attr.BASIS):
        return tr("no legal basis recorded")
    out = str(e[Attr.BASIS])
    if e.get(Attr.BASIS_DATE):
        out += tr(" of {date}", date=e[Attr.BASIS_DATE].isoformat())
    if e.get(Attr.CLAUSE):
        out += f", {e[Attr.CLAUSE]}"
    return out


def _event_head(e: dict[str, Any]) -> str:
    kind = tr(str(e[Attr.TYPE]).replace("_", " "))
    return tr("{event} on {date}", event=kind, date=e[Attr.DATE].isoformat()) + (
        tr(" (modelled)") if e.get(Attr.DERIVED) else ""
    )


def _portion_text(part: bool, default: bool) -> str:
    if not part:
        return tr("whole")
    return tr("part, default successor") if default else tr("part")


def _unit_tip(G: nx.MultiDiGraph, u: str) -> dict[str, Any]:
    a = _a(G, u)
    bits = [str(a.get(Attr.TYPE) or a.get(Attr.KIND))]
    if a.get(Attr.CODE):
        bits.append(tr("code {code}", code=a[Attr.CODE]))
    bits.append(tr("id {id}", id=u))
    rows: list[list[str]] = [["valid", _validity(a)]]
    chain = _chain(G, u, _probe(a))
    if chain:
        rows.append(["part of", chain])
    served = [t for _, t, d in G.out_edges(u, data=True) if d.get(Attr.KIND) == EdgeKind.BODY_OF]
    if served:
        rows.append(["body of", ", ".join(_a(G, t)[Attr.NAME] for t in served)])
    own = [ev for ev, _ in out_events(G, u)] + in_events(G, u)
    modelled_only = all(_a(G, ev).get(Attr.DERIVED) for ev in own)

    def shown(ev: str) -> bool:  # modelled relations only where nothing better is recorded
        return modelled_only or not _a(G, ev).get(Attr.DERIVED)

    for ev in in_events(G, u):
        if not shown(ev):
            continue
        e = _a(G, ev)
        ins = event_inputs(G, ev)
        names = ", ".join(_a(G, i)[Attr.NAME] for i, _ in ins[:6]) + (" …" if len(ins) > 6 else "")
        n = len(ins)
        formed = tr(
            "{event}, from {n:,} unit: {names}" if n == 1 else "{event}, from {n:,} units: {names}",
            event=_event_head(e),
            n=n,
            names=names,
        )
        rows.append(["formed", formed])
        rows.append(["legal basis", _basis(e)])
    for ev, edge in out_events(G, u):
        if not shown(ev):
            continue
        e = _a(G, ev)
        outs = event_outputs(G, ev)
        part = edge.get(Attr.PORTION) in (Portion.PART, Portion.REMAINDER)
        if outs:
            names = ", ".join(_a(G, o)[Attr.NAME] for o in outs[:6]) + (" …" if len(outs) > 6 else "")
            what = tr("into {names} ({portion})", names=names, portion=_portion_text(part, bool(edge.get("default"))))
        else:
            what = tr("with no successor")
        if e.get(Attr.NOTE):
            what += f"; {e[Attr.NOTE]}"
        rows.append(["ended", f"{_event_head(e)}, {what}"])
        rows.append(["legal basis", _basis(e)])
    if a.get(Attr.NOTE):
        rows.append(["note", str(a[Attr.NOTE])])
    return {"head": str(a[Attr.NAME]), "sub": " · ".join(bits), "rows": rows}


def _label(G: nx.MultiDiGraph, u: str) -> str:
    return str(_a(G, u)[Attr.NAME])


def _sort_key(G: nx.MultiDiGraph, u: str) -> tuple:
    a = _a(G, u)
    return (ORDER.get(a.get(Attr.KIND) or "", 3), a.get(Attr.CODE) or "~", a[Attr.NAME], u)


def _size(node: dict[str, Any]) -> tuple[float, float]:
    font = node["font"]["size"]
    w = text_width(node["label"], font)
    lines = node["label"].count("\n") + 1
    if node["shape"] == "hexagon":
        return (max(w, 2 * node["size"]), 2 * node["size"] + lines * (font + 4) + 6)
    if node["shape"] == "ellipse":
        return (w * 1.25 + 24, lines * (font + 3) + 18)
    cap = node.get("widthConstraint", {}).get("maximum")
    if cap and w + 16 > cap:
        lines += int(w // cap)
        w = cap
    return (w + 18, lines * (font + 3) + 11)


def _unit_node(G: nx.MultiDiGraph, u: str, state: State, *, label: str | None = None) -> dict:
    a = _a(G, u)
    kind = str(a.get(Attr.KIND))
    node: dict[str, Any] = {"id": u, "label": label or _label(G, u)}
    node.update(node_style(kind, str(a.get(Attr.TYPE)), state))
    chain = _chain(G, u, _probe(a))
    node.update(
        {
            "level": level_of(kind),
            "kind": kind,
            "type": str(a.get(Attr.TYPE)) if level_of(kind) != "body" else kind,
            "state": state.value,
            "tip": _unit_tip(G, u),
            "search": fold(" ".join(x for x in (a[Attr.NAME], a.get(Attr.CODE) or "", u, chain) if x)),
        }
    )
    return node


# --------------------------------------------------------------------------- succession
@dataclass(frozen=True)
class _Link:
    part: bool
    default: bool
    events: tuple[str, ...]


def _forward(G: nx.MultiDiGraph, u: str, before: date, after: date, *, derived: bool = False) -> dict[str, _Link]:
    """Units live on ``after`` that ``u`` (live on ``before``) went into, by events in
    (before, after]; modelled events only if ``derived``."""
    out: dict[str, _Link] = {}
    stack: list[tuple[str, bool, bool, tuple[str, ...]]] = [(u, False, True, ())]
    while stack:
        x, part, default, path = stack.pop()
        for ev, edge in out_events(G, x):
            e = _a(G, ev)
            if not before < e[Attr.DATE] <= after or (e.get(Attr.DERIVED) and not derived):
                continue
            portion = edge.get(Attr.PORTION)
            hop_default = default_hop(portion, edge.get(Attr.DEFAULT))
            for o in event_outputs(G, ev):
                if o == u or ev in path:
                    continue
                link = _Link(part or is_part(portion), default and hop_default, path + (ev,))
                if is_live(_a(G, o), after):
                    prev = out.get(o)
                    if prev is None or prefers(link.part, link.default, prev.part, prev.default):
                        out[o] = link
                else:
                    stack.append((o, link.part, link.default, link.events))
    return out


def _backward(G: nx.MultiDiGraph, v: str, before: date, after: date, *, derived: bool = False) -> set[str]:
    """Units live on ``before`` that went into ``v`` by events in (before, after]."""
    out: set[str] = set()
    stack, seen = [v], {v}
    while stack:
        x = stack.pop()
        for ev in in_events(G, x):
            e = _a(G, ev)
            if not before < e[Attr.DATE] <= after or (e.get(Attr.DERIVED) and not derived):
                continue
            for i, _ in event_inputs(G, ev):
                if i in seen:
                    continue
                seen.add(i)
                if is_live(_a(G, i), before):
                    out.add(i)
                else:
                    stack.append(i)
    return out


def _link_edge(G: nx.MultiDiGraph, u: str, v: str, link: _Link) -> dict[str, Any]:
    evs = [_a(G, ev) for ev in link.events]
    line = line_for(str(evs[-1][Attr.TYPE]) if evs else None, link.part, link.default)
    if evs and all(e.get(Attr.DERIVED) for e in evs) and line is Line.WHOLE:
        line = Line.MODELLED
    rows = [
        ["event", " then ".join(_event_head(e) for e in evs)],
        ["portion", _portion_text(link.part, link.default)],
    ]
    for e in evs:
        rows.append(["legal basis", _basis(e)])
    edge: dict[str, Any] = {
        "id": f"{u}->{v}",
        "from": u,
        "to": v,
        "line": line.value,
        "tip": {"head": f"{_label(G, u)} → {_label(G, v)}", "sub": "", "rows": rows},
    }
    edge.update(edge_style(line))
    return edge


def _hierarchy_edge(parent: str, child: str) -> dict[str, Any]:
    edge: dict[str, Any] = {
        "id": f"{parent}>{child}",
        "from": parent,
        "to": child,
        "line": Line.HIERARCHY.value,
        "tip": {},
    }
    edge.update(edge_style(Line.HIERARCHY))
    return edge


# --------------------------------------------------------------------------- scenes
def _tree(G: nx.MultiDiGraph, roots: Iterable[str], on: date) -> set[str]:
    out, stack = set(), list(roots)
    while stack:
        x = stack.pop()
        if x in out:
            continue
        out.add(x)
        stack.extend(children_on(G, x, on))
    return out


def _ever_below(G: nx.MultiDiGraph, root: str) -> set[str]:
    out, stack = set(), [root]
    while stack:
        x = stack.pop()
        if x in out:
            continue
        out.add(x)
        stack.extend(c for c, _, d in G.in_edges(x, data=True) if d.get(Attr.KIND) == EdgeKind.PARENT)
    return out


def _is_province(G: nx.MultiDiGraph, u: str) -> bool:
    return _a(G, u).get(Attr.KIND) == Kind.PROVINCE


def _province_scope(G: nx.MultiDiGraph, p: str, before: date, after: date) -> tuple[set, set]:
    old = {p} if is_live(_a(G, p), before) else set()
    new = {p} if is_live(_a(G, p), after) else set()
    while True:
        grow_new = {v for q in old for v in _forward(G, q, before, after) if _is_province(G, v)}
        grow_new |= {q for q in old if is_live(_a(G, q), after)}
        grow_old = {s for q in new for s in _backward(G, q, before, after) if _is_province(G, s)}
        grow_old |= {q for q in new if is_live(_a(G, q), before)}
        if grow_new <= new and grow_old <= old:
            return old, new
        new |= grow_new
        old |= grow_old


def _require_unit(G: nx.MultiDiGraph, u: str, kind: Kind | None = None) -> None:
    if u not in G or _a(G, u).get(Attr.NODE) != NodeKind.UNIT:
        raise UnknownUnitError(u)
    if kind is not None and _a(G, u).get(Attr.KIND) != kind:
        raise UnknownUnitError(f"{u} (not a {kind.value})")


def _wave(G: nx.MultiDiGraph, p: str, on: date | None) -> date | None:
    dates = set()
    for u in _ever_below(G, p):
        dates |= {_a(G, ev)[Attr.DATE] for ev, _ in out_events(G, u)}
        dates |= {_a(G, ev)[Attr.DATE] for ev in in_events(G, u)}
    if not dates:
        return None
    if on is None:
        return max(dates)
    earlier = [d for d in dates if d <= on]
    return max(earlier) if earlier else min(dates)


def _count(kinds: Iterable[str]) -> str:
    c = Counter(kinds)
    parts = []
    if c[Kind.PROVINCE]:
        n = c[Kind.PROVINCE]
        parts.append(tr("{n:,} province" if n == 1 else "{n:,} provinces", n=n))
    if c[Kind.DISTRICT]:
        n = c[Kind.DISTRICT]
        parts.append(tr("{n:,} district" if n == 1 else "{n:,} districts", n=n))
    if c[Kind.COMMUNE]:
        n = c[Kind.COMMUNE]
        parts.append(tr("{n:,} commune" if n == 1 else "{n:,} communes", n=n))
    if not parts:
        return tr("nothing")
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + tr(" and ") + parts[-1]


def _transition(
    G: nx.MultiDiGraph, p: str, before: date, after: date, *, unchanged: bool
) -> tuple[list[dict], list[dict], Any, dict[str, Any]]:
    """Nodes, edges, layout and facts for the change of province ``p`` between two dates."""
    old_p, new_p = _province_scope(G, p, before, after)
    old_units = _tree(G, old_p, before)
    new_units = _tree(G, new_p, after)
    live_a = {u for u in old_units | new_units if is_live(_a(G, u), after)}
    live_b = {u for u in old_units | new_units if is_live(_a(G, u), before)}
    same = live_a & live_b

    links: dict[tuple[str, str], _Link] = {}
    for u in sorted(old_units):
        for v, link in _forward(G, u, before, after).items():
            links[(u, v)] = link
    outside_old: set[str] = set()
    for v in sorted(new_units - same):
        for s in _backward(G, v, before, after):
            if (s, v) in links:
                continue
            found = _forward(G, s, before, after).get(v)
            if found is not None:
                links[(s, v)] = found
                if s not in old_units:
                    outside_old.add(s)
    outside_new = {v for (_, v) in links if v not in new_units and v not in old_units}

    # who is drawn, and as what
    state: dict[str, State] = {}
    for u in old_units | outside_old:
        state[u] = State.SAME if u in same else State.OLD
    for v in new_units | outside_new:
        state[v] = State.SAME if v in same else State.NEW
    groupers = {u for u in old_units if _a(G, u).get(Attr.KIND) != Kind.COMMUNE}
    if not unchanged:
        state = {u: s for u, s in state.items() if s is not State.SAME or u in groupers}

    # blocks: provinces first, then one per old district (or per old province for communes
    # straight under it), then units from outside
    tint: dict[str, str] = {}
    shaded = old_p | {q for q in outside_old if _is_province(G, q)}
    for i, q in enumerate(sorted(shaded, key=lambda q: _sort_key(G, q))):
        tint[q] = SHADES[i % len(SHADES)]
    block_of: dict[str, int] = {}
    blocks: list[Block] = []
    provinces_old = sorted(
        (u for u in state if _is_province(G, u) and state[u] is State.OLD),
        key=lambda u: _sort_key(G, u),
    )
    provinces_new = sorted(
        (u for u in state if _is_province(G, u) and state[u] is not State.OLD),
        key=lambda u: _sort_key(G, u),
    )
    blocks.append(Block([[], provinces_old, provinces_new], caption="Provinces", shade="#f1f1ef"))
    for u in provinces_old + provinces_new:
        block_of[u] = 0

    def province_of(u: str) -> str | None:
        cur: str | None = u
        seen: set[str] = set()
        while cur is not None and cur not in seen:
            seen.add(cur)
            if _is_province(G, cur):
                return cur
            cur = parent_on(G, cur, before if state.get(cur) is not State.NEW else after)
        return None

    districts = sorted(
        (u for u in state if _a(G, u).get(Attr.KIND) == Kind.DISTRICT and state[u] is not State.NEW),
        key=lambda u: _sort_key(G, u),
    )
    hier: list[tuple[str, str]] = []
    for d in districts:
        kids = sorted((c for c in children_on(G, d, before) if c in state), key=lambda c: _sort_key(G, c))
        olds = [c for c in kids if state[c] is State.OLD]
        prov = province_of(d)
        cap = _label(G, d) + (f" · {_a(G, prov)[Attr.SHORT]}" if prov else "")
        blocks.append(
            Block(
                [[d], olds, [c for c in kids if state[c] is State.SAME]],
                caption=cap,
                shade=tint.get(prov or "", SHADES[0]),
            )
        )
        for c in kids:
            block_of[c] = len(blocks) - 1
            hier.append((d, c))
        block_of[d] = len(blocks) - 1
    loose = sorted(
        (u for u in state if u not in block_of and state[u] is not State.NEW and not _is_province(G, u)),
        key=lambda u: _sort_key(G, u),
    )
    by_parent: dict[str, list[str]] = defaultdict(list)
    for u in loose:
        q = province_of(u)
        by_parent[q if q is not None and q in old_p else "~outside"].append(u)
    for q, members in sorted(by_parent.items()):
        caption = "From other provinces" if q == "~outside" else _label(G, q)
        olds = [u for u in members if state[u] is State.OLD]
        blocks.append(
            Block(
                [[], olds, [u for u in members if state[u] is State.SAME]],
                caption=caption,
                shade=tint.get(q, "#f6f6f6"),
            )
        )
        for u in members:
            block_of[u] = len(blocks) - 1

    # each new unit joins the block most of its sources are in
    srcs: dict[str, list[str]] = defaultdict(list)
    for u, v in links:
        srcs[v].append(u)
    homeless: list[str] = []
    for v in sorted((v for v in state if v not in block_of), key=lambda v: _sort_key(G, v)):
        votes = Counter(block_of[s] for s in srcs[v] if s in block_of and block_of[s] > 0)
        if votes:
            best = min(votes, key=lambda b: (-votes[b], b))
            blocks[best].columns[2].append(v)
            block_of[v] = best
        else:
            homeless.append(v)
    if homeless:
        blocks.append(Block([[], [], homeless], caption="New, with no predecessor shown"))
        for v in homeless:
            block_of[v] = len(blocks) - 1

    nodes = {u: _unit_node(G, u, state[u]) for u in state}
    edges = [_hierarchy_edge(a, b) for a, b in hier if a in nodes and b in nodes]
    edges += [_link_edge(G, u, v, link) for (u, v), link in sorted(links.items()) if u in nodes and v in nodes]
    lay = place(
        [b for b in blocks if any(b.columns)],
        [(e["from"], e["to"]) for e in edges],
        {u: _size(n) for u, n in nodes.items()},
        headers=["", tr("until {date}", date=before.isoformat()), tr("from {date}", date=after.isoformat())],
    )
    for u, n in nodes.items():
        n["x"], n["y"] = lay.positions[u]
    evs = {ev for link in links.values() for ev in link.events}
    prov_evs = sorted({ev for (u, v), link in links.items() if _is_province(G, u) for ev in link.events})
    facts = {
        "province_events": prov_evs,
        "old_p": old_p,
        "new_p": new_p,
        "before": [u for u, s in state.items() if s is State.OLD],
        "after": [u for u, s in state.items() if s is not State.OLD],
        "same": [u for u, s in state.items() if s is State.SAME],
        "unchanged_hidden": len(same) - sum(1 for u in same if u in state),
        "bases": sorted({str(_a(G, ev)[Attr.BASIS]) for ev in evs if _a(G, ev).get(Attr.BASIS) and ev not in prov_evs}),
        "tint": tint,
    }
    ordered = sorted(nodes.values(), key=lambda n: (n["x"], n["y"]))
    return ordered, edges, lay, facts


def _names(G: nx.MultiDiGraph, ids: Iterable[str]) -> str:
    names = [_label(G, u) for u in sorted(ids, key=lambda u: _sort_key(G, u))]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + tr(" and ") + names[-1]


def _province_sentence(G: nx.MultiDiGraph, facts: dict[str, Any]) -> str:
    old_p, new_p = facts["old_p"], facts["new_p"]
    if old_p == new_p:
        return tr(
            "{names} kept its boundaries" if len(new_p) == 1 else "{names} kept their boundaries",
            names=_names(G, new_p),
        )
    out = tr("{old} became {new}", old=_names(G, old_p), new=_names(G, new_p))
    how = [f"{_event_head(_a(G, ev))}, {_basis(_a(G, ev))}" for ev in facts["province_events"]]
    if how:
        out += " (" + "; ".join(dict.fromkeys(how)) + ")"
    return out


def _tint_legend(G: nx.MultiDiGraph, tint: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"what": "frame", "label": tr("districts of {name} (before)", name=_label(G, q)), "fill": shade}
        for q, shade in tint.items()
    ]


def _finish(
    view: str,
    title: str,
    subtitle: str,
    nodes: list[dict],
    edges: list[dict],
    lay: Any,
    extra_legend: list[dict] | None = None,
    notes: list[str] | None = None,
) -> Picture:
    legend = legend_for(nodes, edges) + (extra_legend or [])
    for item in (*nodes, *edges):  # the tooltips' row names, said once here in the language asked
        tip = item.get("tip")
        if tip and tip.get("rows"):
            tip["rows"] = [[tr(k), v] for k, v in tip["rows"]]
    frames = [{**f, "caption": tr(f["caption"])} if f.get("caption") else f for f in lay.frames]
    return Picture(view, title, subtitle, nodes, edges, legend, frames, lay.headers, notes or [])


# --------------------------------------------------------------------------- builders
def province_picture(G: nx.MultiDiGraph, province: str, *, on: date | None = None) -> Picture:
    """The change that made (or ended) a province: old provinces, districts and communes on
    the left, the new units on the right, joined by their events.

    ``province`` is a unit id. The change shown is the last one on or before ``on`` that
    touched the province or any unit under it (the first one after, if none); by default the
    latest. Units that did not change are shown on the right.

    >>> from orgraph import load_national
    >>> pic = province_picture(load_national(), "province:33@2025-07-01")
    >>> pic.title
    'Tỉnh Hưng Yên: the change of 2025-07-01'
    """
    _require_unit(G, province, Kind.PROVINCE)
    wave = _wave(G, province, on)
    after = wave or on or date.today()
    before = after - DAY
    nodes, edges, lay, facts = _transition(G, province, before, after, unchanged=True)
    kinds = {n["id"]: n["kind"] for n in nodes}
    name = _label(G, province)
    title = (
        tr("{name}: the change of {date}", name=name, date=after.isoformat())
        if wave
        else tr("{name} on {date}", name=name, date=after.isoformat())
    )
    below = [u for u in facts["before"] if not _is_province(G, u)]
    above = [u for u in facts["after"] if not _is_province(G, u)]
    if wave:
        sub = tr(
            "{what}. {before} until {start} → {after} from {end}",
            what=_province_sentence(G, facts),
            before=_count(kinds[u] for u in below),
            start=before.isoformat(),
            after=_count(kinds[u] for u in above),
            end=after.isoformat(),
        )
    else:
        sub = tr("No change recorded; {units} on {date}", units=_count(kinds[u] for u in above), date=after.isoformat())
    same = [u for u in facts["same"] if not _is_province(G, u)]
    if same and wave:
        sub += tr(" ({n} unchanged)", n=len(same))
    if facts["bases"]:
        sub += tr("; legal basis {bases}", bases="; ".join(facts["bases"]))
    return _finish("province", title, sub, nodes, edges, lay, _tint_legend(G, facts["tint"]))


def diff_picture(G: nx.MultiDiGraph, start: date, end: date, *, province: str) -> Picture:
    """What changed in a province between two dates: the units that ended on the left, the
    units that began on the right, and how one became the other. Unchanged units are left
    out (districts stay, to group their communes).

    >>> from orgraph import load_national
    >>> from datetime import date
    >>> pic = diff_picture(load_national(), date(2025, 6, 30), date(2025, 7, 1),
    ...                    province="province:33@2025-07-01")
    >>> sum(1 for n in pic.nodes if n["state"] == "new")
    105
    """
    _require_unit(G, province, Kind.PROVINCE)
    if end < start:
        start, end = end, start
    a = _a(G, province)
    if not (is_live(a, start) or is_live(a, end)):
        raise NotLiveError(
            f"{a[Attr.NAME]} ({province}) was live on neither {start.isoformat()} nor "
            f"{end.isoformat()} ({_validity(a)}); pick dates around its lifetime"
        )
    nodes, edges, lay, facts = _transition(G, province, start, end, unchanged=False)
    kinds = {n["id"]: n["kind"] for n in nodes}
    ended = list(facts["before"])
    began = [u for u in facts["after"] if u not in facts["same"]]
    title = tr(
        "{name}: what changed between {start} and {end}",
        name=a[Attr.NAME],
        start=start.isoformat(),
        end=end.isoformat(),
    )
    sub = tr(
        "ended: {ended}; began: {began}", ended=_count(kinds[u] for u in ended), began=_count(kinds[u] for u in began)
    )
    if facts["unchanged_hidden"]:
        n = facts["unchanged_hidden"]
        sub += tr("; {n:,} unchanged unit not shown" if n == 1 else "; {n:,} unchanged units not shown", n=n)
    if facts["bases"]:
        sub += tr(". Legal basis: {bases}", bases="; ".join(facts["bases"]))
    return _finish("diff", title, sub, nodes, edges, lay, _tint_legend(G, facts["tint"]))


def unit_picture(G: nx.MultiDiGraph, unit: str) -> Picture:
    """One unit's whole lineage, both directions, with the other units of each event on the
    way shown faded. Columns run in time, left to right.

    >>> from orgraph import load_national
    >>> pic = unit_picture(load_national(), "commune:00019")
    >>> sorted(n["label"] for n in pic.nodes if n["state"] == "new")
    ['Phường Ba Đình', 'Phường Hoàn Kiếm', 'Phường Văn Miếu - Quốc Tử Giám', 'Phường Ô Chợ Dừa']
    """
    _require_unit(G, unit)
    own_derived = all(_a(G, ev).get(Attr.DERIVED) for ev in [e for e, _ in out_events(G, unit)] + in_events(G, unit))

    def usable(ev: str, touching: str) -> bool:
        return not _a(G, ev).get(Attr.DERIVED) or (own_derived and touching == unit)

    ancestors, descendants, path_events, _ = lineage_walk(G, unit, usable=usable)
    core = {unit} | ancestors | descendants
    context: set[str] = set()
    for ev in path_events:
        context |= {i for i, _ in event_inputs(G, ev)} | set(event_outputs(G, ev))
    context -= core

    state = {u: State.CONTEXT for u in context}
    state.update({u: State.OLD for u in ancestors})
    state.update({u: State.NEW for u in descendants})
    state[unit] = State.FOCUS
    dates = sorted({_a(G, ev)[Attr.DATE] for ev in path_events})

    def column(u: str) -> int:
        start = _a(G, u).get(Attr.VALID_FROM)
        return sum(1 for d in dates if start is not None and d <= start)

    cols: list[list[str]] = [[] for _ in range(len(dates) + 1)]
    for u in sorted(state, key=lambda u: _sort_key(G, u)):
        cols[column(u)].append(u)
    nodes = {u: _unit_node(G, u, state[u]) for u in state}
    edges = []
    for ev in sorted(path_events):
        for i, edge in event_inputs(G, ev):
            part = edge.get(Attr.PORTION) in (Portion.PART, Portion.REMAINDER)
            for o in event_outputs(G, ev):
                link = _Link(part, bool(edge.get(Attr.DEFAULT)) if part else True, (ev,))
                edges.append(_link_edge(G, i, o, link))
    headers = [tr("until {date}", date=(dates[0] - DAY).isoformat()) if dates else tr("now")]
    headers += [tr("from {date}", date=d.isoformat()) for d in dates]
    lay = place(
        [Block(cols)],
        [(e["from"], e["to"]) for e in edges],
        {u: _size(n) for u, n in nodes.items()},
        headers=headers,
    )
    for u, n in nodes.items():
        n["x"], n["y"] = lay.positions[u]
    a = _a(G, unit)
    chain = _chain(G, unit, _probe(a))
    title = tr("{name}: lineage", name=f"{a[Attr.NAME]}" + (f" ({chain})" if chain else ""))
    if not path_events:
        sub = tr("No change events recorded for this unit ({validity}).", validity=_validity(a))
    else:
        said = []
        if ancestors:
            many = len(ancestors)
            said.append(tr("came from {n:,} unit" if many == 1 else "came from {n:,} units", n=many))
        if descendants:
            direct = {v: link for v, link in _forward(G, unit, date.min, date.max, derived=own_derived).items()}
            many = len(descendants)
            went = tr("went into {n:,} unit" if many == 1 else "went into {n:,} units", n=many)
            defaults = [v for v, link in direct.items() if link.part and link.default]
            if defaults:
                went += tr(" (default successor: {names})", names=_names(G, defaults))
            said.append(went)
        sub = tr(
            "{name} {what} on {dates}",
            name=a[Attr.NAME],
            what=tr(" and ").join(said),
            dates=", ".join(d.isoformat() for d in dates),
        )
        if context:
            many = len(context)
            sub += tr(
                "; faded: {n:,} other unit of the same events"
                if many == 1
                else "; faded: {n:,} other units of the same events",
                n=many,
            )
    ordered = sorted(nodes.values(), key=lambda n: (n["x"], n["y"]))
    return _finish("unit", title, sub, ordered, edges, lay)


def _province_counts(G: nx.MultiDiGraph, p: str, on: date) -> Counter[str]:
    return Counter(str(_a(G, u)[Attr.KIND]) for u in _tree(G, [p], on) if u != p)


def country_picture(G: nx.MultiDiGraph, *, on: date | None = None) -> Picture:
    """The provinces before and after the last province-level rearrangement on or before ``on``
    (default: the latest), each with its counts of districts and communes: a summary, not
    every unit.

    >>> from orgraph import load_national
    >>> pic = country_picture(load_national())
    >>> pic.title
    'Việt Nam: 63 provinces → 34 on 2025-07-01'
    """
    waves = sorted(
        {
            _a(G, ev)[Attr.DATE]
            for n, a in G.nodes(data=True)
            if a.get(Attr.KIND) == Kind.PROVINCE
            for ev, _ in out_events(G, n)
            if _a(G, ev)[Attr.TYPE] != EventType.TYPE_CHANGE  # a rearrangement, not a new type
        }
    )
    if on is not None:
        waves = [d for d in waves if d <= on] or waves[:1]
    after = waves[-1] if waves else (on or date.today())
    before = after - DAY
    prov = [n for n, a in G.nodes(data=True) if a.get(Attr.KIND) == Kind.PROVINCE]
    old = {p for p in prov if is_live(_a(G, p), before)}
    new = {p for p in prov if is_live(_a(G, p), after)}
    same = old & new
    links = {(u, v): link for u in sorted(old - same) for v, link in _forward(G, u, before, after).items() if v in new}
    state = {u: (State.SAME if u in same else State.OLD) for u in old}
    state.update({v: (State.SAME if v in same else State.NEW) for v in new})

    nodes: dict[str, dict[str, Any]] = {}
    for u, s in state.items():
        a = _a(G, u)
        c_before = _province_counts(G, u, before) if u in old else Counter()
        c_after = _province_counts(G, u, after) if u in new else Counter()
        if s is State.SAME:
            line2 = f"{c_before[Kind.COMMUNE]:,} → {c_after[Kind.COMMUNE]:,} communes"
        elif s is State.OLD:
            line2 = f"{c_before[Kind.COMMUNE]:,} communes"
        else:
            line2 = f"{c_after[Kind.COMMUNE]:,} communes"
        n = _unit_node(G, u, s, label=f"{a[Attr.NAME]}\n{line2}")
        n["font"] = dict(n["font"], size=24)
        n["size"] = 18
        rows = n["tip"]["rows"]
        if u in old:
            rows.insert(
                1,
                [
                    tr("on {date}", date=before.isoformat()),
                    f"{c_before[Kind.DISTRICT]} districts, {c_before[Kind.COMMUNE]:,} communes",
                ],
            )
        if u in new:
            rows.insert(
                1,
                [
                    tr("on {date}", date=after.isoformat()),
                    f"{c_after[Kind.DISTRICT]} districts, {c_after[Kind.COMMUNE]:,} communes",
                ],
            )
        if a.get(Attr.AREA):
            rows.append(["area", f"{a[Attr.AREA]:,} km²"])
        if a.get(Attr.POPULATION):
            rows.append(["population", f"{a[Attr.POPULATION]:,}"])
        n["counts"] = {"before": dict(c_before), "after": dict(c_after)}
        nodes[u] = n
    blocks = []
    for v in sorted(new - same, key=lambda v: _sort_key(G, v)):
        ins = sorted((u for (u, w) in links if w == v), key=lambda u: _sort_key(G, u))
        blocks.append(Block([ins, [v]], shade="#f3f5f7"))
    if same:
        blocks.append(
            Block(
                [[], sorted(same, key=lambda v: _sort_key(G, v))],
                caption="Kept their boundaries",
                shade="#f7f7f0",
            )
        )
    edges = [_link_edge(G, u, v, link) for (u, v), link in sorted(links.items())]
    lay = place(
        blocks,
        [(e["from"], e["to"]) for e in edges],
        {u: _size(n) for u, n in nodes.items()},
        headers=[tr("until {date}", date=before.isoformat()), tr("from {date}", date=after.isoformat())],
    )
    for u, n in nodes.items():
        n["x"], n["y"] = lay.positions[u]
    total_b = sum(n["counts"]["before"].get(Kind.COMMUNE, 0) for n in nodes.values())
    total_a = sum(n["counts"]["after"].get(Kind.COMMUNE, 0) for n in nodes.values())
    bases = sorted(
        {str(_a(G, ev)[Attr.BASIS]) for link in links.values() for ev in link.events if _a(G, ev).get(Attr.BASIS)}
    )
    title = tr("Việt Nam: {old} provinces → {new} on {date}", old=len(old), new=len(new), date=after.isoformat())
    formed = len(new) - len(same)
    sub = tr(
        "{n:,} new province formed from {old}; " if formed == 1 else "{n:,} new provinces formed from {old}; ",
        n=formed,
        old=len(old) - len(same),
    ) + tr(
        "{n} kept its boundaries. Communes: {before:,} → {after:,}"
        if len(same) == 1
        else "{n} kept their boundaries. Communes: {before:,} → {after:,}",
        n=len(same),
        before=total_b,
        after=total_a,
    )
    if bases:
        sub += tr(". Legal basis: {bases}", bases="; ".join(bases))
    ordered = sorted(nodes.values(), key=lambda n: (n["x"], n["y"]))
    return _finish("country", title, sub, ordered, edges, lay)


# --------------------------------------------------------------------------- tasks
TASK_STATE_TEXT = {
    "live": "its lead is live",
    "inherited": "its lead passed to a successor",
    "generic": "led by a class of bodies",
    "ambiguous": "ambiguous: the lead was split with no default successor",
    "orphan": "orphan: the lead ended with no successor",
    "no_lead": "no lead named in the plan",
    "not_yet": "its lead does not exist yet",
}


def _task_node(G: nx.MultiDiGraph, t: Any, tracked: Any = None) -> dict[str, Any]:
    a = _a(G, t.id)
    text = t.text if len(t.text) <= 110 else t.text[:107].rstrip() + "…"
    node: dict[str, Any] = {"id": t.id, "label": f"{t.number} · {text}"}
    progress = tracked.state.value if tracked is not None else None
    node.update(task_style(t.status, t.open, progress))
    rows = [["status", tr(TASK_STATE_TEXT.get(t.status, t.status))]]
    if tracked is not None:
        rows.append(["progress", _progress_text(tracked)])
    rows.append(["deadline", say(t.deadline) + (tr(" (next due {date})", date=t.due.isoformat()) if t.due else "")])
    for h in (*t.lead, *t.coordinators):
        who = h.assigned.name if h.assigned else f"[{h.generic}]"
        now = ", ".join(x.name for x in h.holders[:4]) + (" …" if len(h.holders) > 4 else "")
        what = f"{who}: {say(h.status)}" + (f" → {now}" if now and h.status != "live" else "")
        if h.note and h.status != "live":
            what += f" ({say(h.note)})"
        rows.append([h.role, what])
    if a.get(Attr.NOTE):
        rows.append(["note", str(a[Attr.NOTE])])
    if a.get("illegible"):
        rows.append(["illegible", str(a["illegible"])])
    rows.append(["source", say(t.source)])
    node.update(
        {
            "level": NodeKind.TASK.value,
            "kind": NodeKind.TASK.value,
            "type": "",
            "state": State.NEW.value if t.open or progress else State.CONTEXT.value,
            "task_state": t.status,
            "progress": progress,
            "tip": {"head": f"{t.plan} {t.number}", "sub": t.text, "rows": rows},
            "search": fold(f"{t.id} {t.number} {t.text}"),
        }
    )
    return node


def _progress_text(tracked: Any) -> str:
    """A task's progress on the picture's date, for its tooltip."""
    parts = [say(tracked.state.value.replace("_", " "))]
    for o in tracked.obligations:
        if o.missed:
            who = o.generic and tr("{n:,} bodies of {generic}", n=len(o.bodies), generic=o.generic)
            who = who or ", ".join(b.name for b in o.bodies)
            late = tr("{n} days late ({working} working days)", n=o.days_late, working=o.working_days_late)
            parts.append(f"{who}: {late}")
    last = max(tracked.records, key=lambda r: r.date, default=None)
    if last is not None:
        parts.append(
            tr(
                "last record {date}: {status} by {body}",
                date=last.date,
                status=say(last.status.value),
                body=last.body.name,
            )
        )
    return "; ".join(parts)


def _generic_node(key: str, holders: int, on: date) -> dict[str, Any]:
    label = key.replace("_", " ")
    node: dict[str, Any] = {
        "id": f"generic:{key}",
        "label": label + (f"\n({holders:,} on {on.isoformat()})" if holders else ""),
    }
    node.update(node_style("generic", None, State.SAME))
    node.update(
        {
            "level": "body",
            "kind": "generic",
            "type": "generic",
            "state": State.SAME.value,
            "tip": {
                "head": label,
                "sub": tr("a class of bodies named by the plan, not one body"),
                "rows": [
                    [
                        tr("on {date}", date=on.isoformat()),
                        tr("{n:,} bodies", n=holders) if holders else tr("not resolved to bodies"),
                    ]
                ],
            },
            "search": fold(label),
        }
    )
    return node


def _role_edge(G: nx.MultiDiGraph, body: str, task: str, role: str, label_from: str, note: str) -> dict[str, Any]:
    line = Line.LEADS if role == "lead" else Line.COORDINATES
    edge: dict[str, Any] = {
        "id": f"{body}=>{task}:{role}",
        "from": body,
        "to": task,
        "line": line.value,
        "tip": {
            "head": f"{label_from} {'leads' if role == 'lead' else 'coordinates'}",
            "sub": _a(G, task)[Attr.NAME][:120],
            "rows": [["why", note]] if note else [],
        },
    }
    edge.update(edge_style(line))
    return edge


def tasks_picture(G: nx.MultiDiGraph, *, plan: str, on: date, records: Sequence[Any] = ()) -> Picture:
    """A plan's tasks and the bodies that lead or coordinate them on ``on``, each task filled
    by its progress that day (done, in progress, open, overdue) from the deadlines and the
    progress ``records`` (:func:`orgraph.queries.progress.check_records`).

    A task assigned to a body that has since ended is drawn from the body named in the plan
    along its succession path to the body holding it now. Orphan tasks (the lead ended with
    no successor), ambiguous ones (split with no default successor) and tasks with no lead
    stand out by their border. ``G`` must hold bodies and tasks
    (:func:`orgraph.loaders.plans.load_full`).

    >>> from datetime import date
    >>> from orgraph.loaders.plans import load_full
    >>> pic = tasks_picture(load_full(), plan="47-KH/BCĐ", on=date(2025, 7, 1))
    >>> sum(1 for n in pic.nodes if n["level"] == "task")
    9
    """
    from ..queries.progress import track

    tracked = {tr.task.id: tr for tr in track(G, records, on=on, plan=plan)}
    statuses = [tr.task for tr in tracked.values()]
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[str, dict[str, Any]] = {}
    depth: dict[str, int] = {}  # body -> hops still to go to the body holding the task now
    order_links: list[tuple[str, str]] = []

    def body(u: str, d: int) -> None:
        if u not in nodes:
            nodes[u] = _unit_node(G, u, State.NEW if is_live(_a(G, u), on) else State.OLD)
        depth[u] = max(depth.get(u, 0), d)

    for t in statuses:
        nodes[t.id] = _task_node(G, t, tracked[t.id])
        for h in (*t.lead, *t.coordinators):
            if h.assigned is None:  # a generic assignee
                gid = f"generic:{h.generic}"
                nodes.setdefault(gid, _generic_node(str(h.generic), len(h.holders), on))
                depth.setdefault(gid, 0)
                e = _role_edge(G, gid, t.id, h.role, str(h.generic), h.note)
                e["tip"]["head"] = f"[{h.generic}] {'leads' if h.role == 'lead' else 'coordinates'}"
                edges[e["id"]] = e
                if h.role == "lead":
                    order_links.append((gid, t.id))
                continue
            src = h.assigned.id
            body(src, len(h.path))
            holders = [x.id for x in h.holders] if h.status in ("inherited", "ambiguous") else [src]
            for i, hop in enumerate(h.path):
                body(hop.from_unit, len(h.path) - i)
                body(hop.to_unit, len(h.path) - i - 1)
                e_id = f"{hop.from_unit}~>{hop.to_unit}"
                if e_id not in edges:
                    ev = _a(G, hop.event)
                    edge: dict[str, Any] = {
                        "id": e_id,
                        "from": hop.from_unit,
                        "to": hop.to_unit,
                        "line": Line.INHERITED.value,
                        "tip": {
                            "head": f"{_label(G, hop.from_unit)} → {_label(G, hop.to_unit)}",
                            "sub": tr("responsibility passed on"),
                            "rows": [
                                ["event", _event_head(ev)],
                                [
                                    "portion",
                                    _portion_text(hop.portion in (Portion.PART, Portion.REMAINDER), hop.default),
                                ],
                                ["legal basis", _basis(ev)],
                            ],
                        },
                    }
                    edge.update(edge_style(Line.INHERITED))
                    edges[e_id] = edge
                    order_links.append((hop.from_unit, hop.to_unit))
            for holder in holders:
                body(holder, 0)
                why = (
                    f"assigned in the plan to {h.assigned.name}; {h.note}"
                    if holder != src
                    else (h.note or "assigned in the plan")
                )
                e = _role_edge(G, holder, t.id, h.role, _label(G, holder), why)
                edges[e["id"]] = e
                if h.role == "lead":
                    order_links.append((holder, t.id))
    # one block per body leading tasks now (its inheritance chain on its left), then the
    # classes of bodies, then the tasks with no lead at all
    deepest = max(depth.values(), default=0)
    width = deepest + 2
    block_of: dict[str, str] = {}
    members: dict[str, list[str]] = defaultdict(list)

    def join(key: str, u: str) -> None:
        if u not in block_of:
            block_of[u] = key
            members[key].append(u)

    for t in statuses:
        leads = [e["from"] for e in edges.values() if e["to"] == t.id and e["line"] == Line.LEADS]
        key = leads[0] if leads else "~none"
        if leads:
            join(key, key)
        join(key, t.id)
    changed = True  # coordinators, second leads and inheritance chains join what they feed
    while changed:
        changed = False
        for e in edges.values():
            if e["to"] in block_of and e["from"] not in block_of:
                join(block_of[e["to"]], e["from"])
                changed = True
    for u in nodes:
        join("~none", u)

    def block_key(k: str) -> tuple:
        if k == "~none":
            return (3, "")
        n = nodes[k]
        return (2 if n["kind"] == "generic" else (1 if n["state"] == State.OLD else 0), n["label"])

    blocks = []
    for k in sorted(members, key=block_key):
        cols: list[list[str]] = [[] for _ in range(width)]
        for u in members[k]:
            if nodes[u]["level"] == NodeKind.TASK:
                cols[-1].append(u)
            else:
                cols[deepest - depth.get(u, 0)].append(u)
        caption = "No lead named in the plan" if k == "~none" else ""
        blocks.append(Block(cols, caption=caption, shade="#fdecea" if k == "~none" else "#f4f6f8"))
    headers = [tr("assigned in the plan")] * deepest + [tr("holding it on {date}", date=on.isoformat()), tr("tasks")]
    lay = place(blocks, order_links, {u: _size(n) for u, n in nodes.items()}, headers=headers)
    for u, n in nodes.items():
        n["x"], n["y"] = lay.positions[u]
    by = Counter(t.status for t in statuses)
    parts = [
        f"{n} {tr(TASK_STATE_TEXT.get(s, s)).split(':')[0]}"
        for s, n in sorted(
            by.items(),
            key=lambda kv: list(TASK_STATE_TEXT).index(kv[0]) if kv[0] in TASK_STATE_TEXT else 99,
        )
    ]
    title = tr("Plan {plan}: who leads its tasks on {date}", plan=plan, date=on.isoformat())
    many = len(statuses)
    sub = tr("{n:,} task: {counts}" if many == 1 else "{n:,} tasks: {counts}", n=many, counts="; ".join(parts))
    closed = sum(1 for t in statuses if not t.open)
    if closed:
        sub += tr(" ({n} closed by {date}, faded)", n=closed, date=on.isoformat())
    ordered = sorted(nodes.values(), key=lambda n: (n["x"], n["y"]))
    return _finish("tasks", title, sub, ordered, list(edges.values()), lay)

"""Invariants that hold for any input (hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from orgraph.graph.build import build_graph
from orgraph.graph.model import Event, EventInput, Kind, Unit, UnitType
from orgraph.graph.names import fold, key
from orgraph.queries import successors

D0 = date(2025, 7, 1)


def test_no_succession_cycle_in_the_national_graph(G):
    H = nx.DiGraph((u, v) for u, v, k in G.edges(keys=True) if k in ("CHANGED_IN", "RESULTED_IN"))
    assert nx.is_directed_acyclic_graph(H)


@given(st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyàáạảãầấậẩẫèéẹẻẽìíịỉĩòóọỏõùúụủũỳýỵỷỹ ", max_size=30))
def test_key_ignores_case_and_diacritics(s):
    assert key(s.upper()) == key(s)
    assert fold(s).isascii()


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=1, max_value=4), min_size=1, max_size=5))
def test_chains_of_waves_reach_the_last_unit(widths):
    """A chain of waves (each a fusion of `w` units into one) always ends at the last unit."""
    units, events = [], []
    prev = [Unit(uid="u0", kind=Kind.COMMUNE, type=UnitType.XA, name="Xã 0", short="0", valid_to=D0, sources=("t",))]
    units += prev
    day = D0
    for i, w in enumerate(widths, start=1):
        extra = [
            Unit(
                uid=f"x{i}_{j}",
                kind=Kind.COMMUNE,
                type=UnitType.XA,
                name=f"Xã x{i}{j}",
                short=f"x{i}{j}",
                valid_to=day,
                sources=("t",),
            )
            for j in range(w - 1)
        ]
        nxt_day = day + timedelta(days=365)
        out = Unit(
            uid=f"u{i}",
            kind=Kind.COMMUNE,
            type=UnitType.XA,
            name=f"Xã {i}",
            short=str(i),
            valid_from=day,
            valid_to=None if i == len(widths) else nxt_day,
            sources=("t",),
        )
        units += extra + [out]
        events.append(
            Event(
                id=f"e{i}",
                type="fusion",
                date=day,
                sources=("t",),
                outputs=(out.uid,),
                inputs=tuple(EventInput(unit=u.uid) for u in prev[-1:] + extra),
            )
        )
        prev.append(out)
        day = nxt_day
    G = build_graph(units, events)
    s = successors(G, "u0", on=day)
    assert [x.unit.id for x in s.units] == [f"u{len(widths)}"]
    assert len(s.units[0].path) == len(widths)

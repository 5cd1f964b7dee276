"""Every Cypher statement orgraph sends to Neo4j, as named constants.

Values only ever go in as ``$parameters``. The identifiers in the text (labels,
relationship types, property keys) come from the vocabulary of
:mod:`orgraph.graph.model` and are filled in once, when this module is imported, by
:func:`_q`; nothing here is built from user input.

The schema in Neo4j:

* ``(:Unit:<Kind> {uid, kind, type, name, short, code, valid_from, valid_to, ...})`` with
  one kind label (``:Province``, ``:District``, ``:Commune``, ...) and the lookup keys
  ``name_key`` (of the short name) and ``full_key`` (of the full name), precomputed with
  :func:`orgraph.graph.names.key`;
* ``(:Event {uid, type, date, basis, basis_date, clause, derived, ...})``;
* ``(:Unit)-[:CHANGED_IN {portion, default}]->(:Event)-[:RESULTED_IN]->(:Unit)``;
* ``(:Unit)-[:PART_OF {valid_from, valid_to, seq}]->(:Unit)``.

Every node is keyed on ``uid``, every relationship on ``link`` (the networkx edge key);
``digest`` holds a hash of what was pushed, so a push can tell unchanged from updated.
Dates are Cypher ``date`` values; validity is half-open, ``[valid_from, valid_to)``.
"""

from __future__ import annotations

import re

from ..graph.model import Attr, EdgeKind, Kind, NodeKind, Portion

__all__ = [
    "label",
    "KIND_LABELS",
    "NODE_LABELS",
    "UID",
    "NAME_KEY",
    "FULL_KEY",
    "LINK",
    "SEQ",
    "DIGEST",
    "SCHEMA",
    "PING",
    "PUSH_UNITS",
    "PUSH_NODES",
    "PUSH_EDGES",
    "CLEAR_BATCH",
    "DELETE_NODES",
    "COUNT_NODES",
    "COUNT_RELATIONSHIPS",
    "DUMP_NODES",
    "DUMP_RELATIONSHIPS",
    "UNIT_EXISTS",
    "UNIT_REFS",
    "CAME_FROM",
    "FIND_BY_UID",
    "FIND_BY_CODE",
    "FIND_BY_KEY",
    "ALL_KEYS",
    "ONE_HOP",
    "SUCCESSOR_PATHS",
    "PREDECESSOR_PATHS",
    "LINEAGE",
    "SNAPSHOT_COUNTS",
    "SNAPSHOT_UNITS",
    "DIFF_UNITS",
    "DIFF_EVENTS",
]


def label(kind: NodeKind | Kind) -> str:
    """The Neo4j label of a node kind or unit kind: ``party_committee`` -> ``PartyCommittee``.

    >>> label(Kind.PEOPLES_COMMITTEE)
    'PeoplesCommittee'
    """
    return "".join(part.capitalize() for part in kind.value.split("_"))


NODE_LABELS: dict[NodeKind, str] = {k: label(k) for k in NodeKind}
KIND_LABELS: dict[Kind, str] = {k: label(k) for k in Kind}

# Property keys the backend adds to the graph's own attributes.
UID = "uid"  # every node's stable id (the networkx node id)
NAME_KEY = "name_key"  # names.key(short): what find() matches, and what qualifiers match
FULL_KEY = "full_key"  # names.key(name)
LINK = "link"  # a relationship's identity under MERGE (the networkx edge key)
SEQ = "seq"  # a relationship's position among its source's edges of that kind
DIGEST = "digest"  # hash of the pushed labels and properties

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_VOCAB: dict[str, str] = {
    **{f"L_{k.name}": v for k, v in NODE_LABELS.items()},  # L_UNIT -> Unit
    **{f"R_{k.name}": k.value for k in EdgeKind},  # R_PARENT -> PART_OF
    **{a.value: a.value for a in Attr},  # valid_from -> valid_from
    "uid": UID,
    "name_key": NAME_KEY,
    "full_key": FULL_KEY,
    "link": LINK,
    "seq": SEQ,
    "digest": DIGEST,
}
for _name in (*_VOCAB.values(), *KIND_LABELS.values()):
    if not _IDENT.match(_name):  # they are spliced into the text, so they must be plain names
        raise ValueError(f"{_name!r} cannot be used as a Cypher identifier")


def _q(text: str, **extra: str) -> str:
    """Fill the vocabulary (and ``extra``, itself made of it) into a statement, at import.

    Placeholders are ``{L_UNIT}``-style labels, ``{R_INPUT}``-style relationship types,
    ``{valid_from}``-style property keys and the string literals ``{PART}`` and
    ``{WHOLE}``; braces meant for Cypher are doubled.
    """
    return " ".join(text.format_map(_LITERALS | _VOCAB | extra).split())


_LITERALS = {"PART": f"'{Portion.PART.value}'", "WHOLE": f"'{Portion.WHOLE.value}'"}


def _live(var: str, on: str) -> str:
    """The predicate "node or relationship ``var`` is valid on ``on``" (half-open)."""
    return (
        f"(({var}.{{valid_from}} IS NULL OR {var}.{{valid_from}} <= {on})"
        f" AND ({var}.{{valid_to}} IS NULL OR {on} < {var}.{{valid_to}}))"
    )


# --------------------------------------------------------------------------- schema

SCHEMA: tuple[str, ...] = (
    *(
        _q(
            f"CREATE CONSTRAINT orgraph_{k.value}_uid IF NOT EXISTS "
            f"FOR (n:{{L_{k.name}}}) REQUIRE n.{{uid}} IS UNIQUE"
        )
        for k in NodeKind
    ),
    _q("CREATE INDEX orgraph_unit_name_key IF NOT EXISTS FOR (n:{L_UNIT}) ON (n.{name_key})"),
    _q("CREATE INDEX orgraph_unit_full_key IF NOT EXISTS FOR (n:{L_UNIT}) ON (n.{full_key})"),
    _q("CREATE INDEX orgraph_unit_code IF NOT EXISTS FOR (n:{L_UNIT}) ON (n.{code})"),
    _q("CREATE INDEX orgraph_event_date IF NOT EXISTS FOR (n:{L_EVENT}) ON (n.{date})"),
)
"""Uniqueness of every node kind's ``uid``, and indexes for name, code and date lookups."""

PING = "RETURN 1 AS ok"

# --------------------------------------------------------------------------- push

# Each row: {uid, props, digest}. A node is created, left alone (same digest) or updated;
# ``props`` carries every property, None for those to remove.
_TALLY = """
RETURN sum(CASE WHEN old IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN old = row.digest THEN 1 ELSE 0 END) AS unchanged,
       count(*) AS total
"""

_PUSH_NODE = (
    """
UNWIND $rows AS row
MERGE (n:{labels} {{{uid}: row.uid}})
WITH n, row, n.{digest} AS old
FOREACH (_ IN CASE WHEN old IS NULL OR old <> row.digest THEN [1] ELSE [] END |
  SET n += row.props, n.{digest} = row.digest)
"""
    + _TALLY
)

PUSH_UNITS: dict[Kind, str] = {
    k: _q(_PUSH_NODE, labels=f"{NODE_LABELS[NodeKind.UNIT]}:{KIND_LABELS[k]}") for k in Kind
}
"""Merge unit nodes of one kind, both labels at once (``:Unit:Commune``); rows
``{uid, props, digest}``."""

PUSH_NODES: dict[NodeKind, str] = {
    k: _q(_PUSH_NODE, labels=NODE_LABELS[k]) for k in NodeKind if k is not NodeKind.UNIT
}
"""Merge event (and task) nodes; rows ``{uid, props, digest}``."""

_PUSH_EDGE = (
    """
UNWIND $rows AS row
MATCH (a:{src}) WHERE a.{uid} = row.src
MATCH (b:{dst}) WHERE b.{uid} = row.dst
MERGE (a)-[r:{rel} {{{link}: row.link}}]->(b)
WITH r, row, r.{digest} AS old
FOREACH (_ IN CASE WHEN old IS NULL OR old <> row.digest THEN [1] ELSE [] END |
  SET r += row.props, r.{digest} = row.digest)
"""
    + _TALLY
)

PUSH_EDGES: dict[tuple[EdgeKind, NodeKind, NodeKind], str] = {
    (e, s, d): _q(_PUSH_EDGE, src=NODE_LABELS[s], dst=NODE_LABELS[d], rel=e.value)
    for e in EdgeKind
    for s in NodeKind
    for d in NodeKind
}
"""Merge relationships of one type between nodes of two kinds; rows ``{src, dst, link,
props, digest}``. A row whose end node is missing is left out of ``total``."""

CLEAR_BATCH = "MATCH (n) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
"""Delete up to ``$limit`` nodes and their relationships; repeat until it deletes none."""

DELETE_NODES = _q(
    "UNWIND $uids AS id MATCH (n) WHERE n.{uid} = id DETACH DELETE n RETURN count(*) AS deleted"
)

COUNT_NODES = "MATCH (n) RETURN labels(n) AS labels, count(*) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"

DUMP_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
DUMP_RELATIONSHIPS = _q(
    "MATCH (a)-[r]->(b) RETURN a.{uid} AS src, type(r) AS type, b.{uid} AS dst, "
    "properties(r) AS props"
)

# --------------------------------------------------------------------------- units

UNIT_EXISTS = _q("MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid RETURN u.{uid} AS uid")

UNIT_REFS = _q(
    """
UNWIND $uids AS id
MATCH (u:{L_UNIT}) WHERE u.{uid} = id
OPTIONAL MATCH (u)-[:{R_PARENT}*0..]->(x:{L_UNIT})-[r:{R_PARENT}]->(p:{L_UNIT})
WITH u, collect(CASE WHEN r IS NULL THEN NULL ELSE {{
  child: x.{uid}, uid: p.{uid}, name: p.{name}, kind: p.{kind}, type: p.{type}, code: p.{code},
  valid_from: p.{valid_from}, valid_to: p.{valid_to},
  link_from: r.{valid_from}, link_to: r.{valid_to}, seq: r.{seq}
}} END) AS links
RETURN u.{uid} AS uid, u.{name} AS name, u.{kind} AS kind, u.{type} AS type, u.{code} AS code,
       u.{valid_from} AS valid_from, u.{valid_to} AS valid_to, u.{seq} AS seq, links
"""
)
"""Units with every parent link above them (at any date), to build their ``UnitRef``s and
find their district and province on a date."""

# --------------------------------------------------------------------------- find

_FIND_FILTERS = (
    " AND ($kind IS NULL OR u.{kind} = $kind) AND ($on IS NULL OR " + _live("u", "$on") + ")"
)

FIND_BY_UID = _q(
    "MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid RETURN u.{uid} AS uid, "
    + _FIND_FILTERS.removeprefix(" AND ")
    + " AS keep"
)
"""The unit with id ``$uid``, and whether it passes the ``$kind`` and ``$on`` filters."""

FIND_BY_CODE = _q(
    "MATCH (u:{L_UNIT}) WHERE u.{code} = $code" + _FIND_FILTERS + " RETURN u.{uid} AS uid"
)

FIND_BY_KEY = _q(
    """
MATCH (u:{L_UNIT})
WHERE (u.{name_key} = $key OR u.{full_key} = $key)
  AND ($types IS NULL OR u.{type} IN $types)"""
    + _FIND_FILTERS
    + """
OPTIONAL MATCH (u)-[:{R_PARENT}*1..]->(a:{L_UNIT})
WITH u, collect(DISTINCT a) AS anc
WHERE all(q IN $quals WHERE any(a IN anc WHERE a.{name_key} = q.key
                                         AND (q.types IS NULL OR a.{type} IN q.types)))
RETURN u.{uid} AS uid
"""
)
"""Units whose short or full name has the key ``$key`` (of one of ``$types`` if given),
every ``$quals`` entry ``{key, types}`` naming one of their ancestors at any date."""

CAME_FROM = _q(
    "MATCH (e:{L_EVENT})-[:{R_OUTPUT}]->(u:{L_UNIT}) WHERE u.{uid} = $uid RETURN count(e) AS events"
)
"""How many events ``$uid`` came out of."""

ALL_KEYS = _q(
    "MATCH (u:{L_UNIT}) RETURN collect(DISTINCT u.{name_key}) + collect(DISTINCT u.{full_key}) "
    "AS keys"
)

ONE_HOP = _q(
    """
MATCH (a:{L_UNIT})-[:{R_INPUT}]->(:{L_EVENT})-[:{R_OUTPUT}]->(o:{L_UNIT})
WHERE a.{uid} IN $uids AND o.{uid} IN $uids
RETURN DISTINCT a.{uid} AS src, o.{uid} AS dst
"""
)
"""Which of ``$uids`` came, in one event, out of which other."""

# --------------------------------------------------------------------------- succession

_HOP = """{{
  event: {e}.{uid}, type: {e}.{type}, date: {e}.{date}, basis: {e}.{basis},
  basis_date: {e}.{basis_date}, clause: {e}.{clause}, derived: coalesce({e}.{derived}, false),
  from_unit: {src}.{uid}, to_unit: {dst}.{uid},
  portion: coalesce({r}.{portion}, {WHOLE}), default: coalesce({r}.{default}, false)
}}"""

# The hops of path p (unit, event, unit, ...) whose units are ``us``.
_PATH_HOPS = (
    "[i IN range(0, size(us) - 2) | "
    + _HOP.replace("{e}", "nodes(p)[2 * i + 1]")
    .replace("{r}", "relationships(p)[2 * i]")
    .replace("{src}", "us[i]")
    .replace("{dst}", "us[i + 1]")
    + "]"
)

SUCCESSOR_PATHS = _q(
    """
MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid
MATCH p = (u)-[:{R_INPUT}|{R_OUTPUT}*2..]->(o:{L_UNIT})
WHERE all(e IN nodes(p) WHERE e:{L_UNIT} OR e.{date} <= $on)
  AND """
    + _live("o", "$on")
    + """
WITH p, [x IN nodes(p) WHERE x:{L_UNIT}] AS us
WHERE none(x IN us[1..-1] WHERE """
    + _live("x", "$on")
    + """)
  AND all(j IN range(2, size(us) - 1) WHERE NOT us[j] IN us[0..j - 1])
RETURN """
    + _PATH_HOPS
    + """ AS hops
"""
)
"""Every walk from ``$uid`` through events dated on or before ``$on`` and units not live
then, to a unit live on ``$on``, never back to a unit it already went through; each as
its hops."""

PREDECESSOR_PATHS = _q(
    """
MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid
MATCH p = (s:{L_UNIT})-[:{R_INPUT}|{R_OUTPUT}*2..]->(u)
WHERE ($derived OR none(e IN nodes(p) WHERE e:{L_EVENT} AND coalesce(e.{derived}, false)))
  AND """
    + _live("s", "$on")
    + """
WITH p, [x IN nodes(p) WHERE x:{L_UNIT}] AS us
WHERE all(x IN us[1..-1] WHERE x.{valid_from} IS NOT NULL AND x.{valid_from} > $on)
  AND all(j IN range(0, size(us) - 3) WHERE NOT us[j] IN us[j + 1..-1])
RETURN """
    + _PATH_HOPS
    + """ AS hops
"""
)
"""Every walk back from ``$uid`` to a unit live on ``$on``, through units that began after
``$on`` and (unless ``$derived``) no modelled event; each as its hops."""

LINEAGE = _q(
    """
MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid
OPTIONAL MATCH (u)-[:{R_INPUT}|{R_OUTPUT}*]->(d:{L_UNIT}) WHERE d <> u
WITH u, collect(DISTINCT d) AS desc
OPTIONAL MATCH (a:{L_UNIT})-[:{R_INPUT}|{R_OUTPUT}*]->(u) WHERE a <> u
WITH u, desc, collect(DISTINCT a) AS anc
UNWIND [u] + desc AS x
OPTIONAL MATCH (x)-[r:{R_INPUT}]->(e:{L_EVENT})-[:{R_OUTPUT}]->(o:{L_UNIT})
WITH u, desc, anc, collect(CASE WHEN e IS NULL THEN NULL ELSE """
    + _HOP.replace("{e}", "e").replace("{r}", "r").replace("{src}", "x").replace("{dst}", "o")
    + """ END) AS down
UNWIND [u] + anc AS y
OPTIONAL MATCH (s:{L_UNIT})-[r:{R_INPUT}]->(e:{L_EVENT})-[:{R_OUTPUT}]->(y)
WITH desc, anc, down, collect(CASE WHEN e IS NULL THEN NULL ELSE """
    + _HOP.replace("{e}", "e").replace("{r}", "r").replace("{src}", "s").replace("{dst}", "y")
    + """ END) AS up
RETURN [a IN anc | a.{uid}] AS ancestors, [d IN desc | d.{uid}] AS descendants,
       down + up AS hops
"""
)
"""Every unit ``$uid`` came from and went into, and the hops out of ``$uid`` and its
descendants and into ``$uid`` and its ancestors."""

# --------------------------------------------------------------------------- snapshot

SNAPSHOT_COUNTS = _q(
    "MATCH (u:{L_UNIT}) WHERE ($kind IS NULL OR u.{kind} = $kind) AND "
    + _live("u", "$on")
    + " RETURN u.{kind} AS kind, u.{type} AS type, count(*) AS n"
)

SNAPSHOT_UNITS = _q(
    "MATCH (u:{L_UNIT}) WHERE ($kind IS NULL OR u.{kind} = $kind) AND "
    + _live("u", "$on")
    + " RETURN u.{uid} AS uid"
)

DIFF_UNITS = _q(
    """
MATCH (u:{L_UNIT}) WHERE $kind IS NULL OR u.{kind} = $kind
WITH u, """
    + _live("u", "$start")
    + " AS was, "
    + _live("u", "$end")
    + """ AS now
WHERE was <> now
RETURN u.{uid} AS uid, u.{kind} AS kind, was
"""
)
"""Units live on ``$start`` but not ``$end`` (``was``), or the reverse."""

DIFF_EVENTS = _q(
    "MATCH (e:{L_EVENT}) WHERE $start < e.{date} AND e.{date} <= $end "
    "RETURN e.{type} AS type, count(*) AS n"
)

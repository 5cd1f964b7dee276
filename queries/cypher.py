"""Every Cypher statement orgraph sends to Neo4j, as named constants.

Values only ever go in as ``$parameters``. The identifiers in the text (labels,
relationship types, property keys) come from the vocabulary of
:mod:`orgraph.graph.model` and are filled in once, when this module is imported, by
:func:`_q`; nothing here is built from user input.

The schema in Neo4j:

* ``(:Unit:<Kind> {uid, kind, type, name, short, key, key_full, code, valid_from, valid_to,
  ...})`` with one kind label (``:Province``, ``:District``, ``:Commune``, ...); ``key`` and
  ``key_full`` are the diacritic-free lookup keys of the short and full names
  (:func:`orgraph.graph.names.key`), ``exact`` and ``exact_full`` the same keeping
  diacritics (:func:`orgraph.graph.names.exact`);
* ``(:Event {uid, type, date, basis, basis_date, clause, derived, ...})``;
* ``(:Task {uid, name, plan, number, deadline, ...})``, ``deadline`` as JSON;
* ``(:Unit)-[:BODY_OF]->(:Unit)``, ``(:Unit)-[:LEADS|COORDINATES]->(:Task)``,
  ``(:Unit)-[:REPORTS_TO]->(:Unit)``;
* ``(:Unit)-[:CHANGED_IN {portion, default}]->(:Event)-[:RESULTED_IN]->(:Unit)``;
* ``(:Unit)-[:PART_OF {valid_from, valid_to, seq}]->(:Unit)``.

Every node is keyed on ``uid``, every relationship on ``link`` (the networkx edge key);
``digest`` holds a hash of what was pushed, so a push can tell unchanged from updated.
Dates are Cypher ``date`` values; validity is half-open, ``[valid_from, valid_to)``.

Portability: everything here is plain Neo4j 5 Cypher. The tests run against ArcadeDB's Bolt
server, whose planner differs, so a few statements are written in the form both plan well:
nodes are matched on ``(:Unit {uid})`` and created with their kind label in one step (a
two-label ``MERGE`` scans there, and adding a label after ``MERGE`` trips its constraint);
a lookup on ``key`` OR ``key_full`` is a ``UNION`` of two index lookups; variable-length
patterns start from the bound node.
"""

from __future__ import annotations

import re

from ..graph.model import Attr, EdgeKind, EventType, Kind, NodeKind, Portion, UnitType

__all__ = [
    "label",
    "KIND_LABELS",
    "NODE_LABELS",
    "UID",
    "EXACT",
    "EXACT_FULL",
    "LINK",
    "SEQ",
    "VALUES",
    "DIGEST",
    "NAME_FOLD",
    "PLAN",
    "PLAN_FOLD",
    "SCHEMA",
    "PING",
    "PUSH_UNITS",
    "PUSH_NODES",
    "PUSH_EDGES",
    "CLEAR_BATCH",
    "DELETE_NODES",
    "PUSHED_UIDS",
    "PUSHED_LINKS",
    "DELETE_LINKS",
    "COUNT_NODES",
    "COUNT_RELATIONSHIPS",
    "DUMP_NODES",
    "DUMP_RELATIONSHIPS",
    "UNIT_EXISTS",
    "UNIT_REFS",
    "FIND_BY_CODE",
    "FIND_BY_KEY",
    "LINEAGE_WITH_REFS",
    "PREDECESSORS_WITH_REFS",
    "SUCCESSORS_WITH_REFS",
    "LOOKUP",
    "ALL_KEYS",
    "CAME_FROM",
    "UNIT_POINTS",
    "PLANS_LABEL",
    "READ_HORIZON",
    "WRITE_PLANS",
    "READ_PLANS",
    "ADDRESS_UNITS",
    "ONE_HOP",
    "SUCCESSOR_PATHS",
    "PREDECESSOR_PATHS",
    "LINEAGE",
    "SNAPSHOT_COUNTS",
    "SNAPSHOT_UNITS",
    "DIFF_UNITS",
    "DIFF_COUNTS",
    "DIFF_EVENTS",
    "BODIES_OF",
    "GENERIC_SCOPE",
    "GENERIC_PARTY_COMMITTEES",
    "TASKS",
    "TASK_IDS",
    "TASKS_WITH_WORDS",
    "INHERITED_FROM",
    "VALIDATE_INPUTS",
    "VALIDATE_OUTPUTS",
    "VALIDATE_PARENTS",
    "VALIDATE_CODES",
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
EXACT = "exact"  # names.exact(short): the name with its diacritics, to prefer exact matches
EXACT_FULL = "exact_full"  # names.exact(name)
LINK = "link"  # a relationship's identity under MERGE (the networkx edge key)
SEQ = "seq"  # a node's position in the graph, a relationship's among its source's edges
DIGEST = "digest"  # hash of the pushed labels and properties
FORMER_KEYS = "former_keys"  # "key|type" of each former name (key without spaces; type may be empty)
NAME_FOLD = "name_fold"  # a task's text, folded (names.fold), for matching words
PLAN = "plan"  # a task's plan id (an attribute of task nodes)
PLAN_FOLD = "plan_fold"  # names.fold(plan)
LINE = "line"  # a task's line in its plan file

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

_VOCAB: dict[str, str] = {
    **{f"L_{k.name}": v for k, v in NODE_LABELS.items()},  # L_UNIT -> Unit
    **{f"R_{k.name}": k.value for k in EdgeKind},  # R_PARENT -> PART_OF
    **{a.value: a.value for a in Attr},  # valid_from -> valid_from
    "uid": UID,
    "exact": EXACT,
    "exact_full": EXACT_FULL,
    "link": LINK,
    "seq": SEQ,
    "digest": DIGEST,
    "name_fold": NAME_FOLD,
    "former_keys": FORMER_KEYS,
    "plan": PLAN,
    "plan_fold": PLAN_FOLD,
    "line": LINE,
}
for _name in (*_VOCAB.values(), *KIND_LABELS.values()):
    if not _IDENT.match(_name):  # they are spliced into the text, so they must be plain names
        raise ValueError(f"{_name!r} cannot be used as a Cypher identifier")


def _q(text: str, **extra: str) -> str:
    """Fill the vocabulary (and ``extra``, itself made of it) into a statement, at import.

    Placeholders are ``{L_UNIT}``-style labels, ``{R_INPUT}``-style relationship types
    and ``{valid_from}``-style property keys; braces meant for Cypher are doubled.
    """
    return " ".join(text.format_map(_VOCAB | extra).split())


VALUES: dict[str, str] = {
    "whole": Portion.WHOLE.value,
    "part": Portion.PART.value,
    "remainder": Portion.REMAINDER.value,
    "integration": EventType.INTEGRATION.value,
    "body_type": UnitType.BODY.value,
    "province_kind": Kind.PROVINCE.value,
}
"""Vocabulary values some statements compare with, sent as parameters with every query."""


def _live(var: str, on: str) -> str:
    """The predicate "node or relationship ``var`` is valid on ``on``" (half-open)."""
    return (
        f"(({var}.{{valid_from}} IS NULL OR {var}.{{valid_from}} <= {on})"
        f" AND ({var}.{{valid_to}} IS NULL OR {on} < {var}.{{valid_to}}))"
    )


# --------------------------------------------------------------------------- schema

SCHEMA: tuple[str, ...] = (
    *(
        _q(f"CREATE CONSTRAINT orgraph_{k.value}_uid IF NOT EXISTS FOR (n:{{L_{k.name}}}) REQUIRE n.{{uid}} IS UNIQUE")
        for k in NodeKind
    ),
    _q("CREATE INDEX orgraph_unit_key IF NOT EXISTS FOR (n:{L_UNIT}) ON (n.{key})"),
    _q("CREATE INDEX orgraph_unit_key_full IF NOT EXISTS FOR (n:{L_UNIT}) ON (n.{key_full})"),
    _q("CREATE INDEX orgraph_unit_code IF NOT EXISTS FOR (n:{L_UNIT}) ON (n.{code})"),
    _q("CREATE INDEX orgraph_event_date IF NOT EXISTS FOR (n:{L_EVENT}) ON (n.{date})"),
)
"""Uniqueness of every node kind's ``uid``, and indexes for name, code and date lookups."""

PING = "RETURN 1 AS ok"

# --------------------------------------------------------------------------- push

# Each row is created, left alone (same digest) or updated, and counted so.
_TALLY = """
RETURN sum(CASE WHEN old IS NULL THEN 1 ELSE 0 END) AS created,
       sum(CASE WHEN old = row.digest THEN 1 ELSE 0 END) AS unchanged,
       count(*) AS total
"""

# Nodes are matched on their first label's uid and created with all their labels at
# once: ``MERGE (n:Unit:Commune {uid: ...})`` means the same, but a server may look it up
# through both labels, and ArcadeDB then scans every commune for each row; and adding a
# label after a ``MERGE (n:Unit {uid: ...})`` makes ArcadeDB raise a constraint error.
_PUSH_NODE = (
    """
UNWIND $rows AS row
OPTIONAL MATCH (n:{first}) WHERE n.{uid} = row.uid
WITH row, n, n.{digest} AS old
FOREACH (_ IN CASE WHEN n IS NULL THEN [1] ELSE [] END |
  CREATE (m:{labels} {{{uid}: row.uid}})
  SET m += row.props, m.{digest} = row.digest)
FOREACH (_ IN CASE WHEN n IS NOT NULL AND old <> row.digest THEN [1] ELSE [] END |
  SET n += row.props, n.{digest} = row.digest)
"""
    + _TALLY
)

PUSH_UNITS: dict[Kind, str] = {
    k: _q(
        _PUSH_NODE,
        first=NODE_LABELS[NodeKind.UNIT],
        labels=f"{NODE_LABELS[NodeKind.UNIT]}:{KIND_LABELS[k]}",
    )
    for k in Kind
}
"""Create or update unit nodes of one kind, labelled ``:Unit:Commune`` and so on; rows
``{uid, props, digest}``, ``props`` holding None for a property to remove."""

PUSH_NODES: dict[NodeKind, str] = {
    k: _q(_PUSH_NODE, first=NODE_LABELS[k], labels=NODE_LABELS[k]) for k in NodeKind if k is not NodeKind.UNIT
}
"""Create or update event (and task) nodes; rows ``{uid, props, digest}``."""

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

DELETE_NODES = _q("UNWIND $uids AS id MATCH (n) WHERE n.{uid} = id DETACH DELETE n RETURN count(*) AS deleted")

PUSHED_UIDS: dict[NodeKind, str] = {k: _q(f"MATCH (n:{{L_{k.name}}}) RETURN n.{{uid}} AS uid") for k in NodeKind}
"""The ids of every node of one kind in the database (push compares them with the graph)."""

PUSHED_LINKS: dict[NodeKind, str] = {
    k: _q(
        f"MATCH (a:{{L_{k.name}}})-[r]->(b) WHERE r.{{link}} IS NOT NULL "
        "RETURN a.{uid} AS src, type(r) AS type, b.{uid} AS dst, r.{link} AS link"
    )
    for k in NodeKind
}
"""The identity of every relationship orgraph pushed from nodes of one kind."""

DELETE_LINKS: dict[NodeKind, str] = {
    k: _q(
        f"UNWIND $rows AS row MATCH (a:{{L_{k.name}}}) WHERE a.{{uid}} = row.src "
        "MATCH (a)-[r]->(b) WHERE b.{uid} = row.dst AND type(r) = row.type AND r.{link} = row.link "
        "DELETE r RETURN count(*) AS deleted"
    )
    for k in NodeKind
}
"""Delete relationships, rows ``{src, type, dst, link}``, whose source is of one kind."""

COUNT_NODES = "MATCH (n) RETURN labels(n) AS labels, count(*) AS n"
COUNT_RELATIONSHIPS = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n"

DUMP_NODES = "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props"
DUMP_RELATIONSHIPS = _q(
    "MATCH (a)-[r]->(b) RETURN a.{uid} AS src, type(r) AS type, b.{uid} AS dst, properties(r) AS props"
)

# --------------------------------------------------------------------------- units

UNIT_EXISTS = _q("MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid RETURN u.{uid} AS uid")

# The links above unit ``{u}`` (its parents at any date and theirs; a body's territory), and
# the unit's own properties, as UNIT_REFS returns them. ``{keep}`` names columns to carry.
_LINKS = """
OPTIONAL MATCH ({u})-[:{R_PARENT}|{R_BODY_OF}*0..]->(lc:{L_UNIT})-[lr:{R_PARENT}|{R_BODY_OF}]->(lp:{L_UNIT})
WITH {keep}{u}, collect(CASE WHEN lr IS NULL THEN NULL ELSE {{
  child: lc.{uid}, uid: lp.{uid}, name: lp.{name}, short: lp.{short}, kind: lp.{kind},
  type: lp.{type}, code: lp.{code},
  valid_from: lp.{valid_from}, valid_to: lp.{valid_to},
  link_from: lr.{valid_from}, link_to: lr.{valid_to}, seq: lr.{seq}, rel: type(lr)
}} END) AS links
"""
_UNIT_COLUMNS = """{u}.{uid} AS uid, {u}.{name} AS name, {u}.{short} AS short, {u}.{kind} AS kind,
       {u}.{type} AS type, {u}.{code} AS code,
       {u}.{valid_from} AS valid_from, {u}.{valid_to} AS valid_to, {u}.{seq} AS seq, links"""


def _links(u: str, keep: str = "") -> str:
    return _LINKS.replace("{u}", u).replace("{keep}", keep)


def _unit_columns(u: str) -> str:
    return _UNIT_COLUMNS.replace("{u}", u)


UNIT_REFS = _q(
    """
UNWIND $uids AS id
MATCH (u:{L_UNIT}) WHERE u.{uid} = id
"""
    + _links("u")
    + "RETURN "
    + _unit_columns("u")
)
"""Units with every link above them (parents at any date; a body's territory), to build
their ``UnitRef``s and find their district and province on a date."""

# --------------------------------------------------------------------------- find

_FIND_FILTERS = " AND ($kind IS NULL OR u.{kind} = $kind) AND ($on IS NULL OR " + _live("u", "$on") + ")"

FIND_BY_CODE = _q("MATCH (u:{L_UNIT}) WHERE u.{code} = $code" + _FIND_FILTERS + " RETURN u.{uid} AS uid")

_BY_KEY = """
CALL {{
  MATCH (u:{L_UNIT}) WHERE u.{key} = $key RETURN u, null AS ftype, false AS body
  UNION
  MATCH (u:{L_UNIT}) WHERE u.{key_full} = $key RETURN u, null AS ftype, false AS body
  UNION
  MATCH (u:{L_UNIT}) WHERE u.{former_keys} IS NOT NULL
  UNWIND u.{former_keys} AS f
  WITH u, split(f, '|') AS kt WHERE kt[0] = $former
  RETURN u, CASE WHEN kt[1] = '' THEN null ELSE kt[1] END AS ftype, false AS body
  UNION
  MATCH (u:{L_UNIT}) WHERE u.{key} = $body_key AND u.{type} = $body_type RETURN u, null AS ftype, true AS body
  UNION
  MATCH (u:{L_UNIT}) WHERE u.{key_full} = $body_key AND u.{type} = $body_type RETURN u, null AS ftype, true AS body
}}
WITH u, ftype, body
WHERE body OR (($types IS NULL OR coalesce(ftype, u.{type}) IN $types) AND ($kind IS NULL OR u.{kind} = $kind))
OPTIONAL MATCH (u)-[:{R_PARENT}|{R_BODY_OF}*1..8]->(a:{L_UNIT})
WITH u, collect(DISTINCT a) AS anc
WHERE all(q IN $quals WHERE any(a IN anc WHERE a.{key} = q.key
                                         AND (q.types IS NULL OR a.{type} IN q.types)))
WITH collect(DISTINCT u) AS hits
WITH hits, [h IN hits WHERE h.{exact} = $exact OR h.{exact_full} = $exact] AS exact
UNWIND (CASE WHEN size(hits) > 1 AND size(exact) > 0 THEN exact ELSE hits END) AS u
"""

FIND_BY_KEY = _q(
    _BY_KEY
    + """
WITH u WHERE ($then_kind IS NULL OR u.{kind} = $then_kind) AND ($on IS NULL OR """
    + _live("u", "$on")
    + """)
RETURN u.{uid} AS uid
"""
)
"""Units whose short or full name has the key ``$key``, or a former name the key ``$former``
(of one of ``$types``, for a former name the type it had; of kind ``$kind``), and bodies
whose name or role has the key ``$body_key``, every ``$quals`` entry ``{key, types}`` naming
one of their ancestors (or a body's territory) at any date; of several, those whose name is
``$exact`` with its diacritics, if any is; then of kind ``$then_kind`` and live on ``$on``."""

CAME_FROM = _q(
    "MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid OPTIONAL MATCH (u)<-[:{R_OUTPUT}]-(e:{L_EVENT}) RETURN count(e) AS events"
)
"""How many events ``$uid`` came out of (for units LOOKUP did not bring: typos, addresses)."""

UNIT_POINTS = _q("UNWIND $uids AS id MATCH (u:{L_UNIT}) WHERE u.{uid} = id RETURN u.{uid} AS uid, u.{point} AS point")
"""The point (JSON ``{"lat": …, "lon": …}``, or null) of each of ``$uids``: a split commune's
successors, for the one nearest to an address's own coordinates."""

ONE_HOP = _q(
    """
UNWIND $uids AS id
MATCH (a:{L_UNIT}) WHERE a.{uid} = id
MATCH (a)-[:{R_INPUT}]->(:{L_EVENT})-[:{R_OUTPUT}]->(o:{L_UNIT})
WHERE o.{uid} IN $uids
RETURN DISTINCT a.{uid} AS src, o.{uid} AS dst
"""
)
"""Which of ``$uids`` came, in one event, out of which other (for units LOOKUP did not bring)."""

ADDRESS_UNITS = _q(
    """
MATCH (u:{L_UNIT}) WHERE u.{kind} IN $kinds
OPTIONAL MATCH (u)-[:{R_PARENT}]->(p:{L_UNIT})
RETURN u.{uid} AS uid, u.{kind} AS kind, u.{type} AS type, u.{short} AS short, u.{key_full} AS key_full,
       collect(DISTINCT p.{uid}) AS parents
"""
)
"""Every province, district and commune (``$kinds``) with its name keys and its parents at
any date: the tables the free-text address reader builds once."""

LOOKUP = _q(
    """
CALL {{
  MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid RETURN u, 0 AS via
  UNION
  MATCH (u:{L_UNIT}) WHERE u.{code} = $code RETURN u, 1 AS via
  UNION
"""
    + _BY_KEY
    + """
  RETURN u, 2 AS via
}}
WITH u, via, ($then_kind IS NULL OR u.{kind} = $then_kind) AND ($on IS NULL OR """
    + _live("u", "$on")
    + """) AS keep
OPTIONAL MATCH (u)<-[:{R_OUTPUT}]-(e:{L_EVENT})
WITH u, via, keep, count(e) AS came_from
OPTIONAL MATCH (u)-[:{R_INPUT}]->(:{L_EVENT})-[:{R_OUTPUT}]->(o:{L_UNIT})
WITH u, via, keep, came_from, collect(DISTINCT o.{uid}) AS next
"""
    + _links("u", "via, keep, came_from, next, ")
    + """
RETURN """
    + _unit_columns("u")
    + """, via, keep, next, came_from
"""
)
"""Every unit a name, code or id may mean, in one round trip: the unit with id ``$uid``
(``via`` 0), of code ``$code`` (1), or of key ``$key`` / ``$body_key`` as FIND_BY_KEY finds
them (2); whether each passes ``$then_kind`` and ``$on`` (``keep``); each with its links
(as UNIT_REFS), the units it went into in one event (``next``) and how many events it came
out of."""

ALL_KEYS = _q("MATCH (u:{L_UNIT}) RETURN collect(DISTINCT u.{key}) + collect(DISTINCT u.{key_full}) AS keys")

# --------------------------------------------------------------------------- succession

_HOP = """{{
  event: {e}.{uid}, type: {e}.{type}, date: {e}.{date}, basis: {e}.{basis},
  basis_date: {e}.{basis_date}, clause: {e}.{clause}, derived: coalesce({e}.{derived}, false),
  from_unit: {src}.{uid}, to_unit: {dst}.{uid},
  portion: coalesce({r}.{portion}, $whole), default: coalesce({r}.{default}, false)
}}"""

# The hops of a path whose nodes, from the earlier unit on, are ``ns`` (unit, event, unit,
# ...), its relationships ``rs`` and its units ``us``.
_PATH_HOPS = (
    "[i IN range(0, size(us) - 2) | "
    + _HOP.replace("{e}", "ns[2 * i + 1]")
    .replace("{r}", "rs[2 * i]")
    .replace("{src}", "us[i]")
    .replace("{dst}", "us[i + 1]")
    + "]"
)

_SUCCESSOR_WALK = (
    """
MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid
MATCH p = (u)-[:{R_INPUT}|{R_OUTPUT}*2..]->(o:{L_UNIT})
WHERE all(e IN nodes(p) WHERE e:{L_UNIT} OR e.{date} <= $on)
  AND """
    + _live("o", "$on")
    + """
WITH nodes(p) AS ns, relationships(p) AS rs
WITH ns, rs, [x IN ns WHERE x:{L_UNIT}] AS us
WHERE none(x IN us[1..-1] WHERE """
    + _live("x", "$on")
    + """)
  AND all(j IN range(2, size(us) - 1) WHERE NOT us[j] IN us[0..j - 1])
RETURN """
    + _PATH_HOPS
    + " AS hops"
)
SUCCESSOR_PATHS = _q(_SUCCESSOR_WALK)
"""Every walk from ``$uid`` through events dated on or before ``$on`` and units not live
then, to a unit live on ``$on``, never back to a unit it already went through; each as
its hops."""


def _with_refs(walk: str, reached: str) -> str:
    """``walk`` (rows with ``hops`` and the unit ``{reached}`` each ends at), then one row per
    unit reached with its links as UNIT_REFS gives them, every row carrying all the walks."""
    return (
        "CALL {{ "
        + walk
        + " }} WITH collect(hops) AS walks, collect(DISTINCT "
        + reached
        + ".{uid}) AS reached UNWIND (CASE WHEN size(reached) = 0 THEN [NULL] ELSE reached END) AS id "
        + "OPTIONAL MATCH (x:{L_UNIT}) WHERE x.{uid} = id "
        + _links("x", "walks, ")
        + " RETURN walks, "
        + _unit_columns("x")
    )


_PREDECESSOR_WALK = (
    """
MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid
MATCH p = (u)<-[:{R_INPUT}|{R_OUTPUT}*2..]-(s:{L_UNIT})
WHERE ($derived OR u.{type} = $body_type OR none(e IN nodes(p) WHERE e:{L_EVENT} AND coalesce(e.{derived}, false)))
  AND """
    + _live("s", "$on")
    + """
WITH reverse(nodes(p)) AS ns, reverse(relationships(p)) AS rs
WITH ns, rs, [x IN ns WHERE x:{L_UNIT}] AS us
WHERE all(x IN us[1..-1] WHERE x.{valid_from} IS NOT NULL AND x.{valid_from} > $on)
  AND all(j IN range(0, size(us) - 3) WHERE NOT us[j] IN us[j + 1..-1])
RETURN """
    + _PATH_HOPS
    + " AS hops"
)
PREDECESSOR_PATHS = _q(_PREDECESSOR_WALK)
"""Every walk back from ``$uid`` to a unit live on ``$on``, through units that began after
``$on`` and (unless ``$derived``, or ``$uid`` is a body) no modelled event; each as its hops."""

_LINEAGE_WALK = (
    """
MATCH (u:{L_UNIT}) WHERE u.{uid} = $uid
OPTIONAL MATCH (u)-[:{R_INPUT}|{R_OUTPUT}*]->(d:{L_UNIT}) WHERE d <> u
WITH u, collect(DISTINCT d) AS desc
OPTIONAL MATCH (u)<-[:{R_INPUT}|{R_OUTPUT}*]-(a:{L_UNIT}) WHERE a <> u
WITH u, desc, collect(DISTINCT a) AS anc
UNWIND [u] + desc AS x
OPTIONAL MATCH (x)-[r:{R_INPUT}]->(e:{L_EVENT})-[:{R_OUTPUT}]->(o:{L_UNIT})
WITH u, desc, anc, collect(CASE WHEN e IS NULL THEN NULL ELSE """
    + _HOP.replace("{e}", "e").replace("{r}", "r").replace("{src}", "x").replace("{dst}", "o")
    + """ END) AS down
UNWIND [u] + anc AS y
OPTIONAL MATCH (y)<-[:{R_OUTPUT}]-(e:{L_EVENT})<-[r:{R_INPUT}]-(s:{L_UNIT})
WITH desc, anc, down, collect(CASE WHEN e IS NULL THEN NULL ELSE """
    + _HOP.replace("{e}", "e").replace("{r}", "r").replace("{src}", "s").replace("{dst}", "y")
    + """ END) AS up
"""
)
LINEAGE = _q(
    _LINEAGE_WALK + "RETURN [a IN anc | a.{uid}] AS ancestors, [d IN desc | d.{uid}] AS descendants, down + up AS hops"
)
"""Every unit ``$uid`` came from and went into, and the hops out of ``$uid`` and its
descendants and into ``$uid`` and its ancestors."""

# --------------------------------------------------------------------------- snapshot

SNAPSHOT_COUNTS = _q(
    "MATCH (u:{L_UNIT}) WHERE ($kind IS NULL OR u.{kind} = $kind) AND "
    + _live("u", "$on")
    + " RETURN u.{kind} AS kind, u.{type} AS type,"
    + " CASE WHEN u.{type} = $body_type THEN split(u.{uid}, ':')[1] ELSE '' END AS level, count(*) AS n"
)
"""Live units by kind and type, and for bodies the level they serve (read from the id,
``body:<territory id>:<slug>``, as :func:`orgraph.queries.bodynames.body_level` does)."""

SNAPSHOT_UNITS = _q(
    "MATCH (u:{L_UNIT}) WHERE ($kind IS NULL OR u.{kind} = $kind) AND " + _live("u", "$on") + " RETURN u.{uid} AS uid"
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

DIFF_COUNTS = _q(
    """
MATCH (u:{L_UNIT}) WHERE $kind IS NULL OR u.{kind} = $kind
WITH u, """
    + _live("u", "$start")
    + " AS was, "
    + _live("u", "$end")
    + """ AS now
WHERE was <> now
RETURN u.{kind} AS kind, was, count(*) AS n
"""
)
"""How many units of each kind ended (``was``) or began between ``$start`` and ``$end``."""

DIFF_EVENTS = _q(
    "MATCH (e:{L_EVENT}) WHERE $start < e.{date} AND e.{date} <= $end "
    "OPTIONAL MATCH (x:{L_UNIT})-[:{R_INPUT}]->(e) "
    "WITH e, any(t IN collect(x.{type}) WHERE t = $body_type) AS bodies "
    "RETURN e.{type} AS type, bodies, count(*) AS n"
)
"""Events in (``$start``, ``$end``] by type, and whether they are between bodies."""

# --------------------------------------------------------------------------- bodies, tasks

BODIES_OF = _q(
    "MATCH (t:{L_UNIT}) WHERE t.{uid} = $uid "
    "MATCH (t)<-[:{R_BODY_OF}]-(b:{L_UNIT}) WHERE " + _live("b", "$on") + " RETURN b.{uid} AS uid"
)
"""The bodies of territory ``$uid`` live on ``$on``."""

GENERIC_SCOPE = _q(
    """
MATCH (p:{L_UNIT}) WHERE p.{uid} = $uid OR ($uid IS NULL AND p.{kind} = $province_kind)
OPTIONAL MATCH (p)<-[:{R_PARENT}]-(c:{L_UNIT}) WHERE $uid IS NOT NULL
WITH collect(DISTINCT p) + collect(DISTINCT c) AS ts
UNWIND ts AS t
OPTIONAL MATCH (t)<-[r:{R_BODY_OF}]-(b:{L_UNIT})
RETURN collect(DISTINCT t.{uid}) AS territories,
       collect(CASE WHEN b IS NULL THEN NULL ELSE {{
         body: b.{uid}, territory: t.{uid}, link: r.{link},
         valid_from: r.{valid_from}, valid_to: r.{valid_to}
       }} END) AS bodies
"""
)
"""What a generic assignee can name: province ``$uid`` and its units one level down (at any
date), or, without ``$uid``, every province; and the bodies of all of these."""

GENERIC_PARTY_COMMITTEES = _q(
    """
MATCH (p:{L_UNIT}) WHERE p.{uid} = $uid OR ($uid IS NULL AND p.{kind} = $province_kind)
MATCH (p)<-[:{R_PARENT}*0..]-(t:{L_UNIT})
WITH DISTINCT t
MATCH (t)<-[:{R_BODY_OF}]-(u:{L_UNIT})
WHERE any(s IN $slugs WHERE u.{uid} = 'body:' + t.{uid} + ':' + s) AND """
    + _live("u", "$on")
    + _links("u")
    + "RETURN "
    + _unit_columns("u")
)
"""The party committees (bodies with one of ``$slugs``) live on ``$on`` of province ``$uid``
(or of every province) and of every unit under it at any date, each with its links, as
UNIT_REFS gives them."""

TASKS = _q(
    "MATCH (t:{L_TASK}) WHERE $plan IS NULL OR t.{plan_fold} = $plan "
    "OPTIONAL MATCH (b:{L_UNIT})-[r:{R_LEADS}|{R_COORDINATES}]->(t) "
    "RETURN t.{uid} AS uid, properties(t) AS props, "
    "collect(CASE WHEN r IS NULL THEN NULL ELSE [b.{uid}, type(r)] END) AS assignees"
)
"""Tasks (of the plan whose folded id is ``$plan``, or all), with their assigned bodies."""

TASK_IDS = _q("MATCH (t:{L_TASK}) RETURN t.{uid} AS uid, t.{plan} AS plan, t.{line} AS line, t.{name} AS name")

PLANS_LABEL = "Plans"
"""The label of the one node that lists every plan's id (``G.graph["plans"]``), so that a
plan without tasks is known, and the data's horizon (``G.graph["horizon"]``: per kind, the
date from which it is complete and why, as three lists); not a node of the graph, so not
synced as one."""

WRITE_PLANS = _q(
    "MERGE (p:" + PLANS_LABEL + " {{{uid}: $uid}}) "
    "SET p.{plan} = CASE WHEN $whole THEN $plans ELSE coalesce($plans, p.{plan}) END, "
    "p.horizon_kind = CASE WHEN $whole THEN $kinds ELSE coalesce($kinds, p.horizon_kind) END, "
    "p.horizon_from = CASE WHEN $whole THEN $starts ELSE coalesce($starts, p.horizon_from) END, "
    "p.horizon_why = CASE WHEN $whole THEN $whys ELSE coalesce($whys, p.horizon_why) END "
    "WITH p WHERE p.{plan} IS NULL AND p.horizon_kind IS NULL DELETE p RETURN count(*) AS deleted"
)
"""Make the plans node list ``$plans`` and hold the horizon ``$kinds``, ``$starts`` (ISO
dates), ``$whys``; a null keeps what is there, unless ``$whole`` (a whole push), and a node
left with neither is removed."""

READ_PLANS = _q("MATCH (p:" + PLANS_LABEL + ") RETURN p.{plan} AS plans")
"""Every plan's id, as the last whole push listed them."""

READ_HORIZON = (
    "MATCH (p:" + PLANS_LABEL + ") RETURN p.horizon_kind AS kinds, p.horizon_from AS starts, p.horizon_why AS whys"
)
"""The data's horizon, as the last push gave it."""

TASKS_WITH_WORDS = _q("MATCH (t:{L_TASK}) WHERE all(w IN $words WHERE t.{name_fold} CONTAINS w) RETURN t.{uid} AS uid")
"""Tasks whose folded text contains every one of ``$words``."""

INHERITED_FROM = _q(
    """
MATCH (b:{L_UNIT}) WHERE b.{uid} = $uid
MATCH (b)<-[:{R_OUTPUT}|{R_INPUT}*]-(s:{L_UNIT})
WITH DISTINCT s
MATCH (s)-[r:{R_LEADS}|{R_COORDINATES}]->(t:{L_TASK})
RETURN s.{uid} AS src, type(r) AS role, r.{seq} AS seq, t.{uid} AS task, t.{name} AS text
"""
)
"""Every unit ``$uid`` came from, through any chain of events, that leads or coordinates a
task; with the task."""

VALIDATE_INPUTS = _q(
    """
MATCH (u:{L_UNIT})-[r:{R_INPUT}]->(e:{L_EVENT})
WHERE coalesce(r.{portion}, '') <> $remainder
  AND (u.{valid_to} IS NULL OR u.{valid_to} <> e.{date})
  AND NOT (e.{type} = $integration AND EXISTS {{ MATCH (e)-[:{R_OUTPUT}]->(u) }})
OPTIONAL MATCH (e)-[:{R_OUTPUT}]->(o:{L_UNIT})
WITH u, r, e, collect(o) AS outs
WHERE (u.{valid_to} IS NOT NULL AND u.{valid_to} < e.{date})
   OR (size(outs) = 1 AND r.{portion} = $whole AND outs[0] <> u)
RETURN e.{uid} AS event, e.{seq} AS seq, e.{date} AS date, u.{uid} AS unit, u.{name} AS name,
       u.{valid_to} AS valid_to, [o IN outs | o.{name}] AS outputs
"""
)
"""Inputs whose validity does not end on their event's date: those that outlive the one
unit they went whole into, and those that ended before."""

VALIDATE_OUTPUTS = _q(
    """
MATCH (e:{L_EVENT})-[:{R_OUTPUT}]->(o:{L_UNIT})
WHERE (o.{valid_from} IS NULL OR o.{valid_from} <> e.{date})
  AND NOT (coalesce(o.{valid_from} < e.{date}, true)
           AND (e.{type} = $integration OR coalesce(e.{derived}, false)))
RETURN e.{uid} AS event, e.{seq} AS seq, e.{date} AS date, o.{uid} AS unit, o.{name} AS name,
       o.{valid_from} AS valid_from
"""
)
"""Outputs whose validity does not start on their event's date (unless they predate an
integration or a modelled event)."""

VALIDATE_PARENTS = _q(
    """
MATCH (u:{L_UNIT})
WHERE coalesce(u.{type}, '') <> $body_type AND """
    + _live("u", "$on")
    + """ AND EXISTS {{ MATCH (u)-[:{R_PARENT}]->() }}
OPTIONAL MATCH (u)-[r:{R_PARENT}]->(p:{L_UNIT}) WHERE """
    + _live("r", "$on")
    + """
WITH u, r, p ORDER BY r.{seq}
WITH u, collect(p) AS ps
WITH u, ps[0] AS p
WHERE p IS NULL OR NOT """
    + _live("p", "$on")
    + """
RETURN u.{uid} AS unit, u.{seq} AS seq, u.{name} AS name, p.{name} AS parent
"""
)
"""Territorial units live on ``$on`` with parent links but no live parent then, or whose
parent then is not live itself."""

VALIDATE_CODES = _q(
    "MATCH (u:{L_UNIT}) WHERE u.{code} IS NOT NULL AND u.{code} <> '' AND "
    + _live("u", "$on")
    + " WITH u.{kind} AS kind, u.{code} AS code, count(*) AS n WHERE n > 1 "
    "RETURN kind, code, n"
)
"""Codes that more than one live unit of a kind carries on ``$on``."""


SUCCESSORS_WITH_REFS = _q(_with_refs(_SUCCESSOR_WALK + ", ns[-1] AS reached", "reached"))
"""SUCCESSOR_PATHS, in the same round trip as the links of every unit the walks reach: one
row per unit reached, each with every walk (``walks``)."""

PREDECESSORS_WITH_REFS = _q(_with_refs(_PREDECESSOR_WALK + ", ns[0] AS reached", "reached"))
"""PREDECESSOR_PATHS, with the links of every unit reached, as SUCCESSORS_WITH_REFS."""

LINEAGE_WITH_REFS = _q(
    "CALL {{ "
    + _LINEAGE_WALK
    + " RETURN anc, desc, down + up AS hops }} "
    + "WITH [a IN anc | a.{uid}] AS ancestors, [d IN desc | d.{uid}] AS descendants, hops "
    + "UNWIND (CASE WHEN size(ancestors + descendants) = 0 THEN [NULL] ELSE ancestors + descendants END) AS id "
    + "OPTIONAL MATCH (x:{L_UNIT}) WHERE x.{uid} = id "
    + _links("x", "ancestors, descendants, hops, ")
    + " RETURN ancestors, descendants, hops, "
    + _unit_columns("x")
)
"""LINEAGE, with the links of every ancestor and descendant: one row per unit, each carrying
the ancestors', descendants' ids and the hops."""
REPORTS_TO_LINES = _q(
    "MATCH (a:{L_UNIT})-[r:{R_REPORTS_TO}]->(b:{L_UNIT}) WHERE r.{plan} = $plan "
    "RETURN a.{uid} AS src, b.{uid} AS dst, a.{name} AS src_name, b.{name} AS dst_name, properties(r) AS props "
    "ORDER BY a.{seq}, r.{seq}"
)
"""The reporting lines of plan ``$plan`` (its exact id), in the embedded graph's order."""

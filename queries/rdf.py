"""The graph as Linked Data: Turtle in the W3C Organization Ontology (ORG).

Mapping (documented in the README, section "Linked Data"):

- Provinces and the bodies that are organisations in their own right (party committees,
  councils, people's committees, the Fatherland Front, central bodies) are
  ``org:FormalOrganization``; districts, communes and the bodies inside another body (party
  bodies, agencies) are ``org:OrganizationalUnit``. Every unit carries ``skos:prefLabel``
  (Vietnamese, NFC), ``org:identifier`` (the GSO code), its validity (``og:validFrom``,
  ``og:validTo``) and its sources.
- A dated parent link is ``org:subOrganizationOf`` (the plain triple, for simple queries)
  plus an ``og:ParentLink`` carrying its dates; a body's territory is ``og:bodyOf``.
- A change event is an ``org:ChangeEvent`` with ``org:originalOrganization`` /
  ``org:resultingOrganization`` (and the inverse ``org:changedBy`` / ``org:resultedFrom``
  on the units), ``prov:startedAtTime`` and ``dcterms:date`` for its effective date, and
  ``og:legalBasis`` (number, date, clause). Each input's portion and default flag are an
  ``og:EventInput``.
- A task is an ``og:Task`` (a small extension: ORG has no notion of an assignment) with
  ``og:ledBy``, ``og:coordinatedBy``, its plan, number, deadline and seed line; weekly
  reporting lines are ``og:reportsTo``.

Instances are ``urn:orgraph:<id>`` IRIs (the project's ids, percent-encoded); the small
extension vocabulary is ``urn:orgraph:vocab#``. Nothing here needs rdflib: the writer escapes
every literal and IRI itself, and the tests parse the output with rdflib and query it with
SPARQL.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from datetime import date
from enum import Enum
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import networkx as nx

from ..graph.model import Attr, EdgeKind, Kind, NodeKind, Portion

__all__ = ["turtle_lines", "write_turtle", "unit_iri", "VOCAB"]

VOCAB = "urn:orgraph:vocab#"

_PREFIXES = {
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "og": VOCAB,
}

_FORMAL = frozenset(
    {Kind.PROVINCE, Kind.PARTY_COMMITTEE, Kind.COUNCIL, Kind.PEOPLES_COMMITTEE, Kind.FRONT, Kind.CENTRAL}
)

# Turtle's STRING_LITERAL_QUOTE: escape the quote, the backslash and line ends; characters XML
# and most tools cannot hold (other C0 controls) are written as \\u escapes.
_ESC = {ord('"'): '\\"', ord("\\"): "\\\\", ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"}
_ESC.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ESC})
_ESC[0x7F] = "\\u007F"


def _lit(text: object, lang: str | None = None) -> str:
    s = str(text.value if isinstance(text, Enum) else text).translate(_ESC)
    return f'"{s}"' + (f"@{lang}" if lang else "")


def _date(d: date) -> str:
    return f'"{d.isoformat()}"^^xsd:date'


_PLAIN_ID = re.compile(r"[A-Za-z0-9:._~@-]+")


@lru_cache(maxsize=1 << 18)
def unit_iri(uid: str) -> str:
    """The IRI of a node of the graph.

    >>> unit_iri("commune:00004@2025-07-01")
    '<urn:orgraph:commune:00004%402025-07-01>'
    """
    if _PLAIN_ID.fullmatch(uid):  # the project's own ids: only '@' needs escaping
        return f"<urn:orgraph:{uid.replace('@', '%40')}>"
    return f"<urn:orgraph:{quote(uid, safe=':-._~')}>"


def _kind_value(v: object) -> str:
    return str(v.value if isinstance(v, Enum) else v)


def _unit(G: nx.MultiDiGraph, n: str, a: dict) -> Iterator[str]:
    kind = a.get(Attr.KIND)
    cls = "org:FormalOrganization" if kind in _FORMAL else "org:OrganizationalUnit"
    me = unit_iri(n)
    yield f"{me} a {cls} ;"
    yield f"  skos:prefLabel {_lit(a[Attr.NAME], 'vi')} ;"
    if a.get(Attr.SHORT) and a[Attr.SHORT] != a[Attr.NAME]:
        yield f"  skos:altLabel {_lit(a[Attr.SHORT], 'vi')} ;"
    if a.get(Attr.CODE):
        yield f"  org:identifier {_lit(a[Attr.CODE])} ;"
    if a.get(Attr.VALID_FROM):
        yield f"  og:validFrom {_date(a[Attr.VALID_FROM])} ;"
    if a.get(Attr.VALID_TO):
        yield f"  og:validTo {_date(a[Attr.VALID_TO])} ;"
    if a.get(Attr.AREA):
        yield f'  og:areaKm2 "{float(a[Attr.AREA])}"^^xsd:decimal ;'
    if a.get(Attr.POPULATION):
        yield f'  og:population "{int(a[Attr.POPULATION])}"^^xsd:integer ;'
    for s in a.get(Attr.SOURCES) or ():
        yield f"  dcterms:source {_lit(s)} ;"
    yield f"  og:kind {_lit(_kind_value(kind))} ;"
    yield f"  og:type {_lit(_kind_value(a[Attr.TYPE]), 'vi')} ."


def _event(G: nx.MultiDiGraph, n: str, a: dict) -> Iterator[str]:
    me = unit_iri(n)
    yield f"{me} a org:ChangeEvent ;"
    yield f"  og:eventType {_lit(_kind_value(a[Attr.TYPE]))} ;"
    yield f"  dcterms:date {_date(a[Attr.DATE])} ;"
    yield f'  prov:startedAtTime "{a[Attr.DATE].isoformat()}T00:00:00+07:00"^^xsd:dateTime ;'
    if a.get(Attr.DERIVED):
        yield '  og:derived "true"^^xsd:boolean ;'
    if a.get(Attr.NOTE):
        yield f"  rdfs:comment {_lit(a[Attr.NOTE])} ;"
    for s in a.get(Attr.SOURCES) or ():
        yield f"  dcterms:source {_lit(s)} ;"
    if a.get(Attr.BASIS):
        parts = [f"og:number {_lit(a[Attr.BASIS])}"]
        if a.get(Attr.BASIS_DATE):
            parts.append(f"dcterms:date {_date(a[Attr.BASIS_DATE])}")
        if a.get(Attr.CLAUSE):
            parts.append(f"og:clause {_lit(a[Attr.CLAUSE], 'vi')}")
        yield f"  og:legalBasis [ a og:LegalBasis ; {' ; '.join(parts)} ] ;"
    for u, _, d in sorted(G.in_edges(n, data=True), key=lambda t: t[0]):
        if d.get(Attr.KIND) != EdgeKind.INPUT:
            continue
        portion = _kind_value(d.get(Attr.PORTION, Portion.WHOLE))
        default = "true" if d.get(Attr.DEFAULT) else "false"
        yield f"  org:originalOrganization {unit_iri(u)} ;"
        yield (
            f"  og:input [ a og:EventInput ; og:unit {unit_iri(u)} ; og:portion {_lit(portion)} ;"
            f' og:default "{default}"^^xsd:boolean ] ;'
        )
    for _, v, d in sorted(G.out_edges(n, data=True), key=lambda t: t[1]):
        if d.get(Attr.KIND) == EdgeKind.OUTPUT:
            yield f"  org:resultingOrganization {unit_iri(v)} ;"
    yield "  ."


def _task(G: nx.MultiDiGraph, n: str, a: dict) -> Iterator[str]:
    me = unit_iri(n)
    yield f"{me} a og:Task ;"
    yield f"  dcterms:description {_lit(a.get(Attr.NAME) or '', 'vi')} ;"
    if a.get(Attr.PLAN):
        yield f"  og:plan {_lit(a[Attr.PLAN])} ;"
    if a.get(Attr.NUMBER) is not None:
        yield f"  og:number {_lit(a[Attr.NUMBER])} ;"
    if a.get(Attr.DEADLINE_TEXT):
        yield f"  og:deadlineText {_lit(a[Attr.DEADLINE_TEXT], 'vi')} ;"
    dl = a.get(Attr.DEADLINE) or {}
    if isinstance(dl, dict) and isinstance(dl.get("date"), date):
        yield f"  og:deadline {_date(dl['date'])} ;"
    if a.get(Attr.SEED):
        yield f"  og:seed {_lit(a[Attr.SEED])} ;"
    if a.get(Attr.LINE):
        yield f'  og:seedLine "{int(a[Attr.LINE])}"^^xsd:integer ;'
    for s in a.get(Attr.SOURCES) or ():
        yield f"  dcterms:source {_lit(s)} ;"
    for b, _, d in sorted(G.in_edges(n, data=True), key=lambda t: t[0]):
        if d.get(Attr.KIND) == EdgeKind.LEADS:
            yield f"  og:ledBy {unit_iri(b)} ;"
        elif d.get(Attr.KIND) == EdgeKind.COORDINATES:
            yield f"  og:coordinatedBy {unit_iri(b)} ;"
    yield "  ."


def turtle_lines(G: nx.MultiDiGraph) -> Iterator[str]:
    """The graph as Turtle, line by line (units, events, tasks, then the links between them).

    >>> from orgraph.graph.build import build_graph
    >>> from orgraph.graph.model import Unit, Kind, UnitType
    >>> u = Unit(uid="province:01", kind=Kind.PROVINCE, type=UnitType.TINH, name='Tỉnh "A"',
    ...          short="A", sources=("modelling",))
    >>> [x for x in turtle_lines(build_graph([u], [])) if "prefLabel" in x]
    ['  skos:prefLabel "Tỉnh \\\\"A\\\\""@vi ;']
    """
    for p, iri in _PREFIXES.items():
        yield f"@prefix {p}: <{iri}> ."
    yield ""
    writers = {NodeKind.UNIT: _unit, NodeKind.EVENT: _event, NodeKind.TASK: _task}
    for n, a in sorted(G.nodes(data=True), key=lambda t: (_kind_value(t[1].get(Attr.NODE)), t[0])):
        w = writers.get(a.get(Attr.NODE))  # type: ignore[call-overload]
        if w is not None:
            yield from w(G, n, a)
    yield ""
    # links between units: dated parents, bodies' territories, reporting lines, the inverse
    # change-event links that ORG defines on organisations
    for u, v, _k, d in sorted(G.edges(keys=True, data=True), key=lambda t: (t[0], t[1], str(t[2]))):
        kind = d.get(Attr.KIND)
        if kind == EdgeKind.PARENT:
            yield f"{unit_iri(u)} org:subOrganizationOf {unit_iri(v)} ."
            parts = [f"og:child {unit_iri(u)}", f"og:parent {unit_iri(v)}"]
            if d.get(Attr.VALID_FROM):
                parts.append(f"og:validFrom {_date(d[Attr.VALID_FROM])}")
            if d.get(Attr.VALID_TO):
                parts.append(f"og:validTo {_date(d[Attr.VALID_TO])}")
            yield f"[] a og:ParentLink ; {' ; '.join(parts)} ."
        elif kind == EdgeKind.BODY_OF:
            parts = [f"og:body {unit_iri(u)}", f"og:territory {unit_iri(v)}"]
            if d.get(Attr.VALID_FROM):
                parts.append(f"og:validFrom {_date(d[Attr.VALID_FROM])}")
            if d.get(Attr.VALID_TO):
                parts.append(f"og:validTo {_date(d[Attr.VALID_TO])}")
            yield f"{unit_iri(u)} og:bodyOf {unit_iri(v)} ."
            yield f"[] a og:BodyLink ; {' ; '.join(parts)} ."
        elif kind == EdgeKind.REPORTS_TO:
            yield f"{unit_iri(u)} og:reportsTo {unit_iri(v)} ."
        elif kind == EdgeKind.INPUT:
            yield f"{unit_iri(u)} org:changedBy {unit_iri(v)} ."
        elif kind == EdgeKind.OUTPUT:
            yield f"{unit_iri(v)} org:resultedFrom {unit_iri(u)} ."


def write_turtle(G: nx.MultiDiGraph, path: str | Path) -> int:
    """Write the graph as Turtle (W3C ORG); returns the number of lines. The file is written
    to a temporary name beside the target and renamed, so it is never half-written."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".orgraph-", suffix=".ttl", dir=path.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            chunk: list[str] = []
            for line in turtle_lines(G):
                chunk.append(line)
                if len(chunk) >= 10_000:
                    f.write("\n".join(chunk) + "\n")
                    n += len(chunk)
                    chunk.clear()
            f.write("\n".join(chunk) + ("\n" if chunk else ""))
            n += len(chunk)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # a new file as the user's umask makes it, not mkstemp's 0600
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return n

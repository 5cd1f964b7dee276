"""The vocabulary of the graph, said once: node kinds, edge kinds, unit kinds and types,
event types, portions and attribute keys, plus the pydantic models that every loaded row
passes through.

Everything else in orgraph (the builder, the queries, the Cypher, the pictures) uses these
names; no bare string literal for an edge kind appears elsewhere.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "Attr",
    "EdgeKind",
    "EventInput",
    "EventType",
    "Kind",
    "LegalBasis",
    "NodeKind",
    "ParentLink",
    "Portion",
    "ProgressStatus",
    "Source",
    "TaskState",
    "SourceKind",
    "UnitType",
    "Unit",
    "Event",
    "BODY_KINDS",
    "TERRITORY_KINDS",
    "NFCStr",
    "Horizon",
    "FormerName",
    "Point",
    "REFORM_DATE",
    "OLD_MAP_DATE",
    "BODIES_REFORM_DATE",
    "body_id",
]

REFORM_DATE = dt.date(2025, 7, 1)  # the two-level map: districts abolished, 34 provinces
OLD_MAP_DATE = dt.date(2025, 6, 30)  # the last day of the three-level map
BODIES_REFORM_DATE = dt.date(2025, 3, 1)  # party and state bodies merged ahead of the map


def body_id(territory: str, slug: str) -> str:
    """The id of the body ``slug`` of a territorial unit.

    >>> body_id("province:33@2025-07-01", "tinh-uy")
    'body:province:33@2025-07-01:tinh-uy'
    """
    return f"body:{territory}:{slug}"


class NodeKind(StrEnum):
    """What a node of the graph is."""

    UNIT = "unit"
    EVENT = "event"
    TASK = "task"


class EdgeKind(StrEnum):
    """Edge kinds; also the relationship types in Neo4j."""

    INPUT = "CHANGED_IN"  # unit -> event: the unit was an input of the event
    OUTPUT = "RESULTED_IN"  # event -> unit: the unit came out of the event
    PARENT = "PART_OF"  # unit -> parent unit, dated
    BODY_OF = "BODY_OF"  # body -> the territorial unit it serves
    LEADS = "LEADS"  # body -> task
    COORDINATES = "COORDINATES"  # body -> task
    REPORTS_TO = "REPORTS_TO"  # body -> body


class Kind(StrEnum):
    """Kinds of units: territories now, party and state bodies with the bodies issue."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"
    PARTY_COMMITTEE = "party_committee"
    PARTY_BODY = "party_body"
    COUNCIL = "council"
    PEOPLES_COMMITTEE = "peoples_committee"
    AGENCY = "agency"
    FRONT = "front"
    CENTRAL = "central"


TERRITORY_KINDS = frozenset({Kind.PROVINCE, Kind.DISTRICT, Kind.COMMUNE})
BODY_KINDS = frozenset(set(Kind) - TERRITORY_KINDS)


class UnitType(StrEnum):
    """Official types of territorial units, in Vietnamese as the law writes them."""

    TINH = "tỉnh"
    THANH_PHO_TW = "thành phố trực thuộc trung ương"
    QUAN = "quận"
    HUYEN = "huyện"
    THI_XA = "thị xã"
    THANH_PHO_THUOC_TINH = "thành phố thuộc tỉnh"
    THANH_PHO_THUOC_TP = "thành phố thuộc thành phố trực thuộc trung ương"
    XA = "xã"
    PHUONG = "phường"
    THI_TRAN = "thị trấn"
    DAC_KHU = "đặc khu"
    BODY = "cơ quan"  # party and state bodies


class EventType(StrEnum):
    """Types of change events."""

    FUSION = "fusion"  # several inputs make a new unit
    INTEGRATION = "integration"  # inputs absorbed into a surviving unit
    SPLIT = "split"  # an output made from part of one input
    PARTIAL_TRANSFER = "partial_transfer"  # part of an input moves to another unit
    RENAME = "rename"
    LEVEL_ABOLISHED = "level_abolished"  # the unit's whole level ended (districts, 2025)
    TYPE_CHANGE = "type_change"
    DISSOLUTION = "dissolution"  # a body ended with no successor


class Portion(StrEnum):
    """How much of an input went into an event's output."""

    WHOLE = "whole"
    PART = "part"
    REMAINDER = "remainder"  # what is left of a unit that survives a partial transfer


class SourceKind(StrEnum):
    PACKAGE = "package"
    RESOLUTION = "resolution"
    DECREE = "decree"
    SEED = "seed"
    MODELLING = "modelling"
    USER = "user"


class Attr(StrEnum):
    """Attribute keys on nodes and edges."""

    NODE = "node"
    KIND = "kind"
    TYPE = "type"
    NAME = "name"
    SHORT = "short"
    KEY = "key"  # lookup key of the short name (no diacritics, no type prefix)
    KEY_FULL = "key_full"  # lookup key of the full name
    CODE = "code"
    VALID_FROM = "valid_from"
    VALID_TO = "valid_to"
    SOURCES = "sources"
    AREA = "area_km2"
    POPULATION = "population"
    DATE = "date"
    BASIS = "basis"
    BASIS_DATE = "basis_date"
    CLAUSE = "clause"
    PORTION = "portion"
    DEFAULT = "default"
    DERIVED = "derived"
    RULE = "rule"
    NOTE = "note"
    HORIZON = "horizon"  # graph attribute: per kind, the date from which the data is complete
    FORMER_NAMES = "former_names"  # names a unit's territory bore before (with their source)
    POINT = "point"  # (lat, lon) of the unit, with its source
    # graph attributes of the full graph
    PLANS = "plans"  # plan id -> the file that defined it (so a plan without tasks is known)
    PLAN_META = "plan_meta"  # plan id -> the plan's own lines (issuer, date, title)
    # task nodes
    PLAN = "plan"  # the task's plan id (also on a REPORTS_TO edge)
    NUMBER = "number"  # the task's number in its plan
    DEADLINE = "deadline"  # the deadline rule, as a dict (kind, date, month, weekday, ...)
    DEADLINE_TEXT = "deadline_text"  # the deadline as the plan writes it
    ILLEGIBLE = "illegible"
    SEED = "seed"  # the seed file a task comes from
    LINE = "line"  # its line there
    ASSIGNED_ON = "assigned_on"  # the date its bodies are resolved on
    PROVINCE = "province"  # the province a provincial plan is about
    GENERIC_LEADS = "generic_leads"  # classes of bodies that lead it ("Các cấp ủy")
    GENERIC_COORDINATORS = "generic_coordinators"
    # REPORTS_TO edges
    FROM_GENERIC = "from_generic"  # the class of bodies that reports through this line
    SCHEDULE = "schedule"  # when it reports, as a deadline rule


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


NFCStr = Annotated[str, AfterValidator(_nfc)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", use_enum_values=False)


class Source(_Model):
    """Where a unit, event or edge came from."""

    kind: SourceKind
    ref: NFCStr = Field(min_length=1, description="package@version, resolution number, seed file")
    detail: NFCStr | None = None

    def label(self) -> str:
        return f"{self.ref}" + (f" ({self.detail})" if self.detail else "")


class LegalBasis(_Model):
    number: NFCStr = Field(min_length=1)  # e.g. "202/2025/QH15"
    date: dt.date | None = None  # adoption / signature date
    clause: NFCStr | None = None
    title: NFCStr | None = None

    def label(self) -> str:
        out = self.number
        if self.date:
            out += f" ({self.date.isoformat()})"
        if self.clause:
            out += f", {self.clause}"
        return out


class Horizon(_Model):
    """From which date the data of one kind is complete (no earlier change is modelled)."""

    start: dt.date = Field(alias="from")
    why: NFCStr = Field(min_length=1)


class FormerName(_Model):
    """A name the unit's territory bore before (e.g. a commune it absorbed in the 2023–2025
    wave), as its source spells it; searchable, with where it came from."""

    name: NFCStr = Field(min_length=1)
    type: UnitType | None = None
    source: str = Field(min_length=1)


class Point(_Model):
    """A point of the unit (latitude, longitude, WGS 84), with its source."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    source: str = Field(min_length=1)


class ParentLink(_Model):
    parent: str = Field(min_length=1)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @model_validator(mode="after")
    def _interval(self) -> ParentLink:
        _check_interval(self.valid_from, self.valid_to)
        return self


def _check_interval(start: dt.date | None, end: dt.date | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValueError(f"validity ends ({end}) on or before it starts ({start})")


class Unit(_Model):
    """A unit of government (territory or body), valid on [valid_from, valid_to)."""

    uid: str = Field(min_length=1)
    kind: Kind
    type: UnitType
    name: NFCStr = Field(min_length=1)
    short: NFCStr = Field(min_length=1)
    code: str | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    parents: tuple[ParentLink, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)
    area_km2: float | None = Field(default=None, gt=0)
    population: int | None = Field(default=None, gt=0)
    rule: str | None = None  # for bodies generated by rule: which rule
    note: NFCStr | None = None
    former_names: tuple[FormerName, ...] = ()
    point: Point | None = None

    @field_validator("former_names", mode="before")
    @classmethod
    def _none_is_empty(cls, v: object) -> object:
        return () if v is None else v

    @model_validator(mode="after")
    def _interval(self) -> Unit:
        _check_interval(self.valid_from, self.valid_to)
        return self


class EventInput(_Model):
    unit: str = Field(min_length=1)
    portion: Portion = Portion.WHOLE
    default: bool = False  # for a part: this event's output is the input's default successor


class Event(_Model):
    """A change event: many inputs to many outputs on one effective date."""

    id: str = Field(min_length=1)
    type: EventType
    date: dt.date
    basis: LegalBasis | None = None
    inputs: tuple[EventInput, ...] = Field(min_length=1)
    outputs: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)
    derived: bool = False  # modelled by the project (e.g. cascaded from a territory event)
    note: NFCStr | None = None

    @model_validator(mode="after")
    def _shape(self) -> Event:
        if self.type is not EventType.DISSOLUTION and self.type is not EventType.LEVEL_ABOLISHED:
            if not self.outputs:
                raise ValueError(f"a {self.type.value} event needs at least one output")
        ins = [i.unit for i in self.inputs]
        if len(set(ins)) != len(ins):
            raise ValueError("an input is listed twice")
        if own := set(ins) & set(self.outputs):
            raise ValueError(f"unit {sorted(own)[0]!r} is both an input and an output (its own successor)")
        return self


class ProgressStatus(StrEnum):
    """A progress record's status, in the plans' own words (the order is the order of work)."""

    NOT_STARTED = "chưa thực hiện"
    IN_PROGRESS = "đang thực hiện"
    DONE = "hoàn thành"

    @property
    def rank(self) -> int:
        return list(ProgressStatus).index(self)


class TaskState(StrEnum):
    """Where a task stands on a date, derived from its deadline and the progress records."""

    DONE = "done"
    IN_PROGRESS = "in_progress"
    OPEN = "open"  # not done, not yet due (or no deadline)
    OVERDUE = "overdue"

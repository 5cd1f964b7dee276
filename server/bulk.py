"""POST /convert: a CSV or JSON body of old addresses, converted and streamed back in order.

The whole body is read into memory first (it is bounded by the server's byte limit) and
checked row by row, so a malformed row is a 400 naming the row before anything is sent;
then the rows are converted in chunks, each chunk in the bulk thread pool, and streamed.
Every input row gives one output row, in order: nothing is dropped.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from ..graph.errors import DataError
from ..queries.convert import OUTPUT_COLUMNS, Converter, input_columns
from .errors import BadInput, TooLarge

__all__ = ["Upload", "parse_csv", "parse_json", "csv_chunks", "json_chunks", "CHUNK"]

CHUNK = 2000  # rows per chunk of the answer
FIELDS = ("province", "district", "commune", "code")
# street, new_address: from the library that reads free-text addresses (issue 8)
ADDRESS_COLUMNS: list[str] = list(getattr(importlib.import_module(Converter.__module__), "ADDRESS_COLUMNS", []))
TAKES_ADDRESS = bool(ADDRESS_COLUMNS)
SOURCE = "the uploaded CSV"


@dataclass
class Upload:
    """Parsed input: the header and rows as given, and the (province, district, commune,
    code) key of each row, or its free-text address when ``by_address``."""

    header: list[str]
    rows: list[list[str]]
    keys: list[tuple[str, str, str, str]]
    by_address: bool = False
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def out_cols(self) -> list[str]:
        return OUTPUT_COLUMNS + ADDRESS_COLUMNS if self.by_address else OUTPUT_COLUMNS


def _text(body: bytes, what: str) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataError(what, None, f"not UTF-8 text ({e.reason} at byte {e.start})") from None


def parse_csv(body: bytes, *, max_rows: int) -> Upload:
    """Read a CSV (comma, semicolon, tab or pipe) with the columns the command line takes."""
    text = _text(body, SOURCE)
    try:
        delimiter = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(SOURCE, None, "the file is empty") from None
        cols = input_columns(header, SOURCE, {})
        width = len(header)
        rows: list[list[str]] = []
        keys: list[tuple[str, str, str, str]] = []
        # as `orgraph convert --input`: a free-text address column is read only when no
        # commune or code column is given
        ia = cols.get("address")
        by_address = ia is not None and cols["commune"] is None and cols["code"] is None
        idx = [ia, None, None, None] if by_address else [cols[f] for f in FIELDS]
        for line_no, row in enumerate(reader, start=2):
            if not row:
                continue  # a blank line is not a record
            if len(row) < width:
                row = row + [""] * (width - len(row))
            elif len(row) > width:
                raise DataError(SOURCE, line_no, f"{len(row)} fields but the header has {width}")
            if len(rows) >= max_rows:
                raise TooLarge(f"more than {max_rows:,} rows; split the file (the server's --max-rows)")
            rows.append(row)
            keys.append(tuple(row[i] if i is not None else "" for i in idx))  # type: ignore[arg-type]
    except csv.Error as e:
        raise DataError(SOURCE, None, f"malformed CSV: {e}") from None
    return Upload(header, rows, keys, by_address)


def parse_json(body: bytes, *, max_rows: int) -> Upload:
    """Read ``[{"province": …, "district": …, "commune": …} | {"code": …} | {"address": …}, …]``
    or ``{"rows": [...]}``. Rows are all addresses or all names/codes."""
    what = "the JSON body"
    try:
        doc = json.loads(_text(body, what))
    except json.JSONDecodeError as e:
        raise BadInput(f"{what} is not JSON: {e.msg} at line {e.lineno}, column {e.colno}") from None
    items = doc.get("rows") if isinstance(doc, dict) else doc
    if not isinstance(items, list):
        raise BadInput(f'{what} must be a list of rows, or {{"rows": [...]}}')
    if len(items) > max_rows:
        raise TooLarge(f"{len(items):,} rows; at most {max_rows:,} per request (the server's --max-rows)")
    keys = []
    allowed = FIELDS + (("address",) if TAKES_ADDRESS else ())
    by_address = bool(items) and isinstance(items[0], dict) and "address" in items[0] and TAKES_ADDRESS
    for i, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise DataError(what, i, 'each row must be an object like {"province": …, "district": …, "commune": …}')
        extra = set(item) - set(allowed)
        if extra:
            raise DataError(what, i, f"unknown field(s) {sorted(extra)}; use {list(allowed)}")
        if by_address != ("address" in item):
            raise DataError(what, i, "give every row an address, or none: rows by address and by name don't mix")
        if by_address:
            v = item["address"]
            if not isinstance(v, str):
                raise DataError(what, i, "'address' must be a string")
            keys.append((v, "", "", ""))
            continue
        vals = []
        for f in FIELDS:
            v = item.get(f, "")
            if v is None:
                v = ""
            if isinstance(v, int) and not isinstance(v, bool) and f == "code":
                v = str(v)
            if not isinstance(v, str):
                raise DataError(what, i, f"{f!r} must be a string")
            vals.append(v)
        keys.append((vals[0], vals[1], vals[2], vals[3]))
    return Upload([], [], keys, by_address)


def _converted(G: Any, up: Upload, on: date | None, as_of: date) -> Iterator[list[Any]]:
    """The conversions, CHUNK at a time, counting statuses into ``up.counts``: the same
    converter as ``orgraph convert --input`` (repeats memoised)."""
    conv = Converter(G, on=on or date.today(), as_of=as_of)
    by_address = cast(Any, conv).convert_address if up.by_address else None  # the library's, with issue 8
    it = (by_address(k[0]) for k in up.keys) if by_address else (conv.convert(*k) for k in up.keys)
    while True:
        chunk = [c for _, c in zip(range(CHUNK), it, strict=False)]
        if not chunk:
            return
        for c in chunk:
            up.counts[c.status] = up.counts.get(c.status, 0) + 1
        yield chunk


def csv_chunks(G: Any, up: Upload, *, on: date | None, as_of: date) -> Iterator[bytes]:
    """The output CSV, as ``orgraph convert --input`` writes it: the input columns, then
    the conversion's."""
    buf = io.StringIO()
    w = csv.writer(buf)
    cols = up.out_cols
    w.writerow(up.header + [c if c not in up.header else f"new_{c}" for c in cols])
    i = 0
    for chunk in _converted(G, up, on, as_of):
        for c in chunk:
            w.writerow(up.rows[i] + [getattr(c, col) for col in cols])
            i += 1
        yield buf.getvalue().encode("utf-8")
        buf.seek(0)
        buf.truncate()
    if buf.tell():
        yield buf.getvalue().encode("utf-8")


def json_chunks(G: Any, up: Upload, *, on: date | None, as_of: date) -> Iterator[bytes]:
    """``{"rows": [<conversion>, …], "counts": {status: n}}``, as ``orgraph convert --json``
    gives each conversion."""
    yield b'{"rows":['
    first = True
    for chunk in _converted(G, up, on, as_of):
        part = ",".join(json.dumps(c.to_dict(), ensure_ascii=False) for c in chunk)
        yield (part if first else "," + part).encode("utf-8")
        first = False
    yield ('],"counts":' + json.dumps(dict(sorted(up.counts.items()))) + "}").encode("utf-8")

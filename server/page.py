"""The web page's words, from the one message catalogue (:mod:`orgraph.graph.i18n`): the
page asks for ``/static/words.js`` (both languages, for its own vi/en switch) and its
``index.html`` is served with its Vietnamese filled in from the catalogue too, so that
the page reads right before its script runs. Nothing is fetched from elsewhere; the page's
policy (``script-src 'self'``) stays as it is."""

from __future__ import annotations

import html
import json
import re

from ..graph.i18n import LANGUAGES, t, using

__all__ = ["PAGE_WORDS", "LANGUAGE_NAMES", "words", "words_js", "index_html"]

# what the page says, by the key its elements (data-t) and its script ask for, in English:
# the message ids of the catalogue (ev_* are event types, st_* the status of an address)
PAGE_WORDS: dict[str, str] = {
    "title": "Vietnam's 2025 administrative reorganisation",
    "subtitle": "What an old unit became, what a new one was made of, and under which resolution.",
    "q_label": "A unit, a body, or a whole old address",
    "q_placeholder": "For example: Xã Minh Khai, Hưng Hà, Thái Bình",
    "on_label": "As of",
    "search": "Search",
    "hint": (
        "With or without diacritics; add the district and province after commas to narrow it. "
        "A GSO code works too (e.g. 12658)."
    ),
    "hits_title": "Units of that name",
    "show_picture": "Show the lineage picture",
    "convert_title": "Convert a file of addresses",
    "convert_help": (
        "A CSV with columns province, district, commune (or tinh, huyen, xa) or a code column. "
        "Every input row gives one output row, in order, with a status column."
    ),
    "convert_go": "Convert",
    "download": "Download the result (CSV)",
    "footer": (
        "Data: vietnamadminunits 1.0.4 (MIT) and the resolutions of the National Assembly "
        "and its Standing Committee. Read-only."
    ),
    "successors": "Became",
    "predecessors": "Made of",
    "legal_basis": "Basis",
    "no_basis": "no legal basis recorded",
    "whole": "whole",
    "part": "part",
    "default": "default successor",
    "not_default": "not default",
    "modelled": "(modelled)",
    "on": "on",
    "of": "of",
    "now": "now",
    "loading": "Searching…",
    "suggest": "Did you mean:",
    "candidates": "Candidates:",
    "old_unit": "Old unit",
    "new_unit": "New unit",
    "new_address": "New address",
    "street": "House, street, hamlet",
    "status": "Status",
    "note": "Note",
    "rows": "rows",
    "converted": "Converted",
    "choose_file": "Choose a CSV file.",
    "preview": "(first 20 rows)",
    "code": "code",
    "id": "id",
    "network_error": "Cannot reach the server.",
    "st_ok": "converted",
    "st_unchanged": "unchanged",
    "st_split_default": "split (default successor)",
    "st_ambiguous": "ambiguous",
    "st_unmatched": "unmatched",
    "st_ended": "ended",
    "ev_fusion": "fusion",
    "ev_integration": "integration",
    "ev_split": "split",
    "ev_partial_transfer": "partial transfer",
    "ev_rename": "rename",
    "ev_level_abolished": "level abolished",
    "ev_type_change": "type change",
    "ev_dissolution": "dissolution",
}
# each language by its own name: the switch names the other one
LANGUAGE_NAMES = {"en": "English", "vi": "Tiếng Việt"}


def words(lang: str) -> dict[str, str]:
    """The page's words in ``lang``.

    >>> words("vi")["search"], words("en")["search"]
    ('Tra cứu', 'Search')
    """
    with using(lang):
        out = {k: t(en) for k, en in PAGE_WORDS.items()}
    other = next(x for x in LANGUAGES if x != lang)
    return {**out, "lang_button": LANGUAGE_NAMES[other]}


def words_js() -> bytes:
    """``/static/words.js``: the page's words in every language, as the constant ``T``."""
    table = json.dumps({lang: words(lang) for lang in LANGUAGES}, ensure_ascii=False, indent=1)
    return (
        f"// the page's words, from orgraph's message catalogue (data/messages/vi.yaml)\nconst T = {table};\n".encode()
    )


_SAID = re.compile(r'(<(\w+)[^>]*\bdata-t="(\w+)"[^>]*>)[^<]*(</\2>)')
_PLACEHOLDER = re.compile(r'(\bdata-tp="(\w+)"\s+placeholder=")[^"]*(")')


def index_html(page: bytes, lang: str = "vi") -> bytes:
    """``index.html`` with the text of each element marked ``data-t`` (and each ``data-tp``
    placeholder) in ``lang``, from the catalogue.

    >>> index_html(b'<h1 data-t="search">?</h1>').decode()
    '<h1 data-t="search">Tra cứu</h1>'
    """
    said = words(lang)
    text = page.decode("utf-8")
    text = _SAID.sub(lambda m: m[1] + html.escape(said.get(m[3], ""), quote=False) + m[4], text)
    text = _PLACEHOLDER.sub(lambda m: m[1] + html.escape(said.get(m[2], "")) + m[3], text)
    return text.encode("utf-8")

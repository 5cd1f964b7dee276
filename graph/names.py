"""Vietnamese names: NFC normalisation, diacritic-free keys, and the type prefixes and
abbreviations people write in addresses ("Xã", "P.", "TP.", "Q.", "H.")."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .model import UnitType

__all__ = [
    "nfc",
    "fold",
    "key",
    "body_key",
    "exact",
    "split_prefix",
    "readings",
    "Reading",
    "PREFIXES",
    "PROVINCE_ALIASES",
    "province_alias",
]


def nfc(text: str) -> str:
    """Return ``text`` in Unicode NFC with runs of whitespace collapsed.

    >>> nfc("Hu\u0301ng") == "Hứng"
    False
    >>> nfc("Ho\u0300a") == "Hòa"
    True
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def _fold_table() -> dict[int, str]:
    """Each precomposed Latin letter (Vietnamese among them) to its bare ASCII letter, and
    each combining mark to nothing: one ``str.translate`` folds a name."""
    table: dict[int, str] = {ord("đ"): "d", ord("Đ"): "D"}
    for cp in list(range(0x00C0, 0x0250)) + list(range(0x1E00, 0x1F00)):
        c = chr(cp)
        base = "".join(x for x in unicodedata.normalize("NFD", c) if not unicodedata.combining(x))
        if base != c and base.isascii():
            table[cp] = base
    for cp in range(0x0300, 0x0370):
        table[cp] = ""
    return table


_FOLD = _fold_table()
_NON_ALNUM = re.compile(r"[^0-9a-zA-Z]+")


@lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Lower-case and strip diacritics (đ → d), keeping spaces and digits.

    >>> fold("Phường Điện Biên")
    'phuong dien bien'
    >>> fold("Phu\u031bo\u031b\u0300ng")  # decomposed input folds the same
    'phuong'
    """
    return _NON_ALNUM.sub(" ", text.translate(_FOLD)).lower().strip()


# Prefixes, longest first, as folded text -> the unit types they denote.
PREFIXES: list[tuple[str, frozenset[UnitType]]] = [
    ("thanh pho truc thuoc trung uong", frozenset({UnitType.THANH_PHO_TW})),
    (
        "thanh pho",
        frozenset({UnitType.THANH_PHO_TW, UnitType.THANH_PHO_THUOC_TINH, UnitType.THANH_PHO_THUOC_TP}),
    ),
    ("thi tran", frozenset({UnitType.THI_TRAN})),
    ("thi xa", frozenset({UnitType.THI_XA})),
    ("dac khu", frozenset({UnitType.DAC_KHU})),
    ("phuong", frozenset({UnitType.PHUONG})),
    ("quan", frozenset({UnitType.QUAN})),
    ("huyen", frozenset({UnitType.HUYEN})),
    ("tinh", frozenset({UnitType.TINH})),
    ("xa", frozenset({UnitType.XA})),
    ("tp", frozenset({UnitType.THANH_PHO_TW, UnitType.THANH_PHO_THUOC_TINH, UnitType.THANH_PHO_THUOC_TP})),
    ("tt", frozenset({UnitType.THI_TRAN})),
    ("tx", frozenset({UnitType.THI_XA})),
    ("dk", frozenset({UnitType.DAC_KHU})),
    ("p", frozenset({UnitType.PHUONG})),
    ("f", frozenset({UnitType.PHUONG})),  # "F.12", as Saigon writes phường
    ("q", frozenset({UnitType.QUAN})),
    ("h", frozenset({UnitType.HUYEN})),
    ("x", frozenset({UnitType.XA})),
    ("t", frozenset({UnitType.TINH})),
]


_PREFIX_TYPES = dict(PREFIXES)
# longest alternatives first, as in PREFIXES; a prefix must be followed by a space
_PREFIX_RE = re.compile("(" + "|".join(re.escape(p) for p, _ in PREFIXES) + ") ")
_LEADING_ZEROS = re.compile(r"\b0+(\d)")
# "P12", "F12", "Q1": a one-letter prefix glued to a ward's or district's number
_GLUED = re.compile(r"^([pfq])(\d+)\b")


@lru_cache(maxsize=200_000)
def split_prefix(folded: str) -> tuple[frozenset[UnitType] | None, str]:
    """Split a folded name into (types its prefix denotes, the rest).

    A prefix is only taken when something is left after it, so "Phường 1" keeps
    its number and a bare "Quan" stays a name. Folded text cannot tell "Phường" from
    "Phương": :func:`readings` reads the name as written.

    >>> types, rest = split_prefix("tp ho chi minh")
    >>> rest
    'ho chi minh'
    >>> split_prefix("phuong 1")[1]
    '1'
    >>> split_prefix("q1")[1]
    '1'
    """
    g = _GLUED.match(folded)
    if g is not None:
        folded = f"{g.group(1)} {folded[1:]}"
    m = _PREFIX_RE.match(folded)
    if m is None or len(folded) == m.end():
        return None, folded
    return _PREFIX_TYPES[m.group(1)], folded[m.end() :]


# The type prefixes written out in full, as Vietnamese spells them: a name's first word that
# only folds to one of these ("Phương", "Quân", "Tịnh", "Xà") is part of the name.
_SPELLED = {
    "thanh pho truc thuoc trung uong": "thành phố trực thuộc trung ương",
    "thanh pho": "thành phố",
    "thi tran": "thị trấn",
    "thi xa": "thị xã",
    "dac khu": "đặc khu",
    "phuong": "phường",
    "quan": "quận",
    "huyen": "huyện",
    "tinh": "tỉnh",
    "xa": "xã",
}
_RAW_WORD = re.compile(r"[^\W_]+")

Reading = tuple[frozenset[UnitType] | None, str]


def _zeros(k: str) -> str:
    return _LEADING_ZEROS.sub(r"\1", k) if "0" in k else k


@lru_cache(maxsize=200_000)
def readings(text: str) -> tuple[Reading, ...]:
    """The ways to read one written name: (types its prefix denotes or None, the name's key),
    likeliest first.

    A type prefix is a whole word: "Phường Điện Biên" is a ward, "Phương Thiện" a name. Without
    diacritics ("phuong thien") the first word may be either, so both readings are given, the
    prefix first; a lookup tries the next reading when one finds nothing. An abbreviation
    ("P.", "TP.", "Q1") is always a prefix.

    >>> readings("Phường Điện Biên")[0][1], readings("Phương Thiện")
    ('dien bien', ((None, 'phuong thien'),))
    >>> [k for _, k in readings("phuong thien")]
    ['thien', 'phuong thien']
    """
    folded = fold(text)
    types, rest = split_prefix(folded)
    if types is None:
        return ((None, _zeros(folded)),)
    prefix = folded[: len(folded) - len(rest)].strip()
    spelled = _SPELLED.get(prefix)
    if spelled is None:  # an abbreviation, or a glued "P12"
        return ((types, _zeros(rest)),)
    words = _RAW_WORD.findall(nfc(text).lower())[: len(prefix.split())]
    if " ".join(words) == spelled:
        return ((types, _zeros(rest)),)
    if fold(" ".join(words)) == prefix and any(not w.isascii() for w in words):
        return ((None, _zeros(folded)),)  # "Phương", "Quân": marks that are not the prefix's
    return ((types, _zeros(rest)), (None, _zeros(folded)))


@lru_cache(maxsize=200_000)
def key(text: str) -> str:
    """The lookup key of a name without its type prefix. The prefix must be a whole word as
    written: "Phương Thiện" keeps its first word; without diacritics the first word is kept
    too (a lookup reads it both ways, see :func:`readings`).

    >>> key("Thành phố Hồ Chí Minh") == key("TP. HCM".replace("HCM", "Hồ Chí Minh"))
    True
    >>> key("Phường 01"), key("Phương Thiện"), key("Xã Phương Thiện")
    ('1', 'phuong thien', 'phuong thien')
    """
    got = readings(text)
    return got[-1][1]


_VN_PREFIX = re.compile(
    r"^(thành phố|thị trấn|thị xã|đặc khu|phường|quận|huyện|tỉnh|xã|tp\.?|tt\.?|tx\.?|p\.|q\.|h\.|x\.)\s+"
)


@lru_cache(maxsize=200_000)
def exact(text: str) -> str:
    """The lookup key of a name without its type prefix, keeping diacritics: it tells
    "Sa Pa" from "Sa Pả" when the user wrote them.

    >>> exact("Phường Sa Pả") == exact("sa pả") != exact("Sa Pa")
    True
    """
    low = nfc(text).lower()
    m = _VN_PREFIX.match(low)
    if m and len(low) > m.end():
        low = low[m.end() :]
    low = re.sub(r"[^\w]+", " ", low)
    return re.sub(r"\b0+(\d)", r"\1", " ".join(low.split()))


# Abbreviations people write in bodies' names, folded -> folded words.
_BODY_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "ubmttq": "uy ban mat tran to quoc",
    "btc": "ban to chuc",
    "ubkt": "uy ban kiem tra",
}


@lru_cache(maxsize=200_000)
def body_key(text: str) -> str:
    """The lookup key of a party or state body's name: folded, with no type prefix taken off
    (the "Tỉnh" of "Tỉnh ủy Hà Giang" is part of the body's name) and the usual abbreviations
    written out.

    >>> body_key("Tỉnh ủy Hà Giang")
    'tinh uy ha giang'
    >>> body_key("UBND tỉnh Hưng Yên") == body_key("Ủy ban nhân dân tỉnh Hưng Yên")
    True
    """
    words = fold(text).split()
    out = " ".join(_BODY_ABBREVIATIONS.get(w, w) for w in words)
    return _LEADING_ZEROS.sub(r"\1", out) if "0" in out else out


# What people write for a province instead of its name, as folded keys: the alias -> the
# province's key. "sai gon" also names a ward (Phường Sài Gòn), so it is only read as the
# city where a province is expected (the last part of an address).
PROVINCE_ALIASES: dict[str, str] = {
    "hcm": "ho chi minh",
    "tphcm": "ho chi minh",
    "tp hcm": "ho chi minh",
    "hcmc": "ho chi minh",
    "ho chi minh city": "ho chi minh",
    "sai gon": "ho chi minh",
    "saigon": "ho chi minh",
    "hn": "ha noi",
    "tphn": "ha noi",
    "hp": "hai phong",
    "br vt": "ba ria vung tau",
    "brvt": "ba ria vung tau",
    "tt hue": "hue",
    "tthue": "hue",
    "thua thien hue": "hue",
}
_ONLY_AS_PROVINCE = frozenset({"sai gon", "saigon"})


def province_alias(k: str, *, as_province: bool = True) -> str:
    """The province key an alias stands for, or ``k`` itself.

    >>> province_alias("hcm"), province_alias("br vt"), province_alias("minh khai")
    ('ho chi minh', 'ba ria vung tau', 'minh khai')
    >>> province_alias("sai gon", as_province=False)  # Phường Sài Gòn
    'sai gon'
    """
    if not as_province and k in _ONLY_AS_PROVINCE:
        return k
    return PROVINCE_ALIASES.get(k, k)

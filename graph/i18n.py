"""Words shown to people, in English or Vietnamese: one message catalogue.

The English text is the message's id, as in gettext: code writes ``t("wrote {n:,} rows to
{path}", n=n, path=p)`` and reads as English; ``data/messages/vi.yaml`` maps each id to its
Vietnamese. The language is the one chosen with :func:`using` (``--lang`` on the command
line), else the ``ORGRAPH_LANG`` environment variable, else English. What programs read
(``--json`` keys and values, ids, statuses) is never translated.

A sentence the library computes (a deadline's description, a note) is a :class:`Message`:
a ``str`` whose value is the English, which ``--json``, CSV and caches keep, and which
:func:`say` renders in the current language when the command line prints it for a person.

>>> m = Message("every {day}", day="Monday")
>>> m, say(m)
('every Monday', 'every Monday')
>>> with using("vi"):
...     say(Message("{n:,} bodies", n=3491))
'3,491 cơ quan'

>>> with using("vi"):
...     t("{n:,} bodies", n=3491)
'3,491 cơ quan'
>>> t("{n:,} bodies", n=3491)
'3,491 bodies'
"""

from __future__ import annotations

import os
import string
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from importlib import resources

__all__ = ["LANGUAGES", "Message", "language", "using", "t", "say", "catalogue", "placeholders"]

LANGUAGES = ("en", "vi")
_chosen: ContextVar[str | None] = ContextVar("orgraph_lang", default=None)


def normalise(lang: str) -> str | None:
    """``vi``, ``VI``, ``vi_VN.UTF-8`` → ``vi``; None for a language orgraph does not speak.

    >>> normalise("vi_VN.UTF-8"), normalise("EN"), normalise("fr")
    ('vi', 'en', None)
    """
    code = lang.strip().split(".")[0].replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else None


def language() -> str:
    """The language texts are rendered in now."""
    chosen = _chosen.get()
    if chosen:
        return chosen
    return normalise(os.environ.get("ORGRAPH_LANG", "")) or "en"


@contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Render texts in ``lang`` (``en`` or ``vi``) inside the block; None keeps the default."""
    if lang is None:
        yield language()
        return
    code = normalise(lang)
    if code is None:
        from .errors import ArgumentError  # (errors' messages are this module's Message)

        raise ArgumentError("lang", f"no language {lang!r}; choose {' or '.join(LANGUAGES)}")
    token = _chosen.set(code)
    try:
        yield code
    finally:
        _chosen.reset(token)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The message ids and their text in ``lang`` (empty for English, whose text is the id)."""
    if lang == "en":
        return {}
    import yaml

    name = f"{lang}.yaml"
    text = resources.files("orgraph.data").joinpath("messages", name).read_text(encoding="utf-8")
    doc = yaml.safe_load(text)
    if not isinstance(doc, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in doc.items()):
        from .errors import DataError

        raise DataError(f"data/messages/{name}", None, "must map each English message to its text")
    return doc


def placeholders(template: str) -> set[str]:
    """The named fields of a message, which a translation must keep.

    >>> sorted(placeholders("wrote {n:,} rows to {path}"))
    ['n', 'path']
    """
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def t(msgid: str, /, **values: object) -> str:
    """``msgid`` in the current language, its fields filled from ``values``."""
    lang = language()
    text = msgid if lang == "en" else catalogue(lang).get(msgid, msgid)
    return text.format(**values) if values else text


class Message(str):
    """A sentence in English (its ``str`` value) that :func:`say` can render in another
    language: the message id and its values are kept. Values that are messages are said too."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Message:
        text = msgid.format(**_joined(values, str)) if values else msgid
        self = super().__new__(cls, text)
        self.msgid, self.values = msgid, values
        return self

    def __reduce__(self) -> tuple[object, ...]:
        return (_message, (self.msgid, self.values))

    def said(self) -> str:
        """This message in the current language."""
        return t(self.msgid, **_joined(self.values, say)) if self.values else t(self.msgid)


def _joined(values: dict[str, object], render: Callable[[object], str]) -> dict[str, object]:
    """The values to fill a message with: a tuple is its items, each rendered, joined by commas;
    a nested message is rendered; anything else as it is (its format spec applies)."""
    return {
        k: ", ".join(render(x) for x in v) if isinstance(v, tuple) else render(v) if isinstance(v, Message) else v
        for k, v in values.items()
    }


def _message(msgid: str, values: dict[str, object]) -> Message:
    return Message(msgid, **values)


def say(text: object) -> str:
    """``text`` for a person in the current language: a :class:`Message` rendered, a message
    id of the catalogue (a status word) translated, anything else as it is.

    >>> with using("vi"):
    ...     say("in progress"), say("Xã Phương Thiện")
    ('đang thực hiện', 'Xã Phương Thiện')
    """
    if isinstance(text, Message):
        return text.said()
    s = str(text)
    return t(s) if s and language() != "en" and s in catalogue(language()) else s

"""The one place where errors become what the user sees: one line on stderr and an exit code.

=========================  ====  ==============================================
error                      exit  the line printed
=========================  ====  ==============================================
DataError, bad input       2     ``error: <file, row>: <reason>``
UnknownUnitError           3     ``error: no unit matches …`` (+ how to look)
AmbiguousUnitError         4     ``error: … matches N units: …`` (+ how to pick)
NotLiveError               5     ``error: …``
BackendError               6     ``error: …``
an optional extra missing  2     ``error: this command needs …: pip install …``
Ctrl-C                     130   ``interrupted``
=========================  ====  ==============================================

The errors themselves (:mod:`orgraph.graph.errors`) say what was wrong; the advice that names
a command or an option of this command line is added here.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

from ..graph.errors import (
    AmbiguousUnitError,
    ArgumentError,
    BeyondHorizonError,
    OrgraphError,
    UnknownPlanError,
    UnknownUnitError,
)
from ..graph.i18n import Message, language, say
from ..graph.i18n import t as tr

__all__ = ["failure", "message", "option", "usage"]

# what to do next, said in this command line's words
_ADVICE: tuple[tuple[type[OrgraphError], Callable[[OrgraphError], str]], ...] = (
    (UnknownPlanError, lambda e: tr(" (`orgraph tasks` lists every plan's tasks; `--plan-file` loads yours)")),
    (
        UnknownUnitError,
        lambda e: "" if getattr(e, "suggestions", None) else tr("; try `orgraph find` with a shorter name"),
    ),
    (
        AmbiguousUnitError,
        lambda e: tr('. Add the district/province ("…, Huyện X, Tỉnh Y"), --on DATE, or use the id'),
    ),
    (BeyondHorizonError, lambda e: tr(", or load a dataset of the earlier waves with --data")),
)

# an optional extra's top-level module -> the extra that installs it
_EXTRAS = {
    "pyvis": "viz",
    "jinja2": "viz",
    "markupsafe": "viz",
    "neo4j": "neo4j",
    **dict.fromkeys(("fastapi", "uvicorn", "starlette", "python_multipart", "fastapi_offline"), "serve"),
}


def option(argument: str) -> str:
    """The option of this command line that gives a library function's argument.

    >>> option("kind"), option("lat/lon")
    ('--kind', '--lat/--lon')
    """
    return "/".join("--" + a.replace("_", "-") for a in argument.split("/"))


def message(e: OrgraphError) -> str:
    """The error's one line, with the command line's advice; a wrong argument is named by
    the option that gave it.

    >>> message(UnknownUnitError("Xã Zzz"))
    "no unit matches 'Xã Zzz'; try `orgraph find` with a shorter name"
    >>> message(ArgumentError("kind", "'body' is not a territorial kind"))
    "--kind: 'body' is not a territorial kind"
    """
    advice = next((f(e) for cls, f in _ADVICE if isinstance(e, cls)), "")
    said = f"{option(e.argument)}: {e.reason}" if isinstance(e, ArgumentError) else e.said()
    return " ".join((said + advice).split())


def failure(e: BaseException) -> tuple[int, str] | None:
    """(exit code, the line for stderr) for an error the command line reports in one line;
    None for one it does not (a bug's traceback, a closed pipe).

    >>> failure(KeyboardInterrupt())
    (130, 'interrupted')
    """
    if isinstance(e, OrgraphError):
        return e.exit_code, tr("error: {message}", message=message(e))
    if isinstance(e, KeyboardInterrupt):
        return 130, tr("interrupted")
    if isinstance(e, BrokenPipeError):
        return None
    if isinstance(e, ModuleNotFoundError):  # an optional extra that is not installed
        extra = _EXTRAS.get((e.name or "").split(".")[0])
        if extra is None:
            return None
        needs = tr("this command needs {module}", module=e.name) + f": pip install 'orgraph[{extra}]'"
        return 2, tr("error: {message}", message=needs)
    if isinstance(e, OSError):  # a file the user named could not be read or written
        where = f"{e.filename}: " if e.filename else ""
        return 2, tr("error: {message}", message=f"{where}{' '.join(str(e.strerror or e).split())}")
    return None


# click's and typer's usage errors, as they word them: each a message of the catalogue
_USAGE = (
    "Invalid value for {param}: {reason}",
    "Invalid value: {reason}",
    "Missing argument {param}.",
    "Missing option {param}.",
    "Missing parameter {param}.",
    "No such option: {name}",
    "No such command {name}.",
    "Got unexpected extra argument(s) ({args})",
    "Option {name} requires an argument.",
    "Option {name} does not take a value.",
    "Missing command.",
)
_MEANT = ("(Possible options: {names})",)  # after an unknown option


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """A message as a pattern over the line it makes, each field a named group."""
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"(?P<{p}>.+?)" for i, p in enumerate(parts)))


def _said(line: str, templates: tuple[str, ...], reason: object) -> str | None:
    """``line`` said in the current language, if it is one of ``templates``; a field that is
    the error's own reason (a :class:`Message`) is said too."""
    for template in templates:
        m = _pattern(template).fullmatch(line)
        if m:
            values: dict[str, Any] = m.groupdict()
            if "reason" in values:
                values["reason"] = say(reason if values["reason"] == str(reason) else values["reason"])
            return tr(template, **values)
    return None


def usage(e: Any) -> str:
    """A usage error's one line (a click exception's message), in the current language.

    >>> import typer
    >>> usage(typer.BadParameter(Message("choose xlsx"), param_hint="--format"))
    'Invalid value for --format: choose xlsx'
    """
    line = " ".join(e.format_message().split())
    if language() == "en":
        return line
    reason = getattr(e, "message", None)
    meant = re.search(r" (\(Possible options: [^()]+\))$", line)
    head = line[: meant.start()] if meant else line
    said = _said(head, _USAGE, reason if isinstance(reason, Message) else None) or head
    if meant:
        said += " " + (_said(meant.group(1), _MEANT, None) or meant.group(1))
    return said

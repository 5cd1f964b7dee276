"""What every command group shares: the context object (``--data`` and the graph), the
option types (dates, kinds, backends), the options themselves, and printing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from enum import Enum, StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from ..graph.i18n import Message, language, normalise, t, using
from ..graph.model import Kind
from ..queries.results import jsonable
from ._errors import failure

__all__ = [
    "Backend",
    "BackendName",
    "DEFAULT_PROGRESS",
    "GuardedGroup",
    "LocalisedCommand",
    "Json",
    "KindOpt",
    "LAST_DATE",
    "On",
    "OnRequired",
    "PlanFile",
    "Progress",
    "State",
    "any_date",
    "backend_for",
    "choice",
    "choices",
    "date_argument",
    "date_option",
    "date_within_horizon",
    "emit",
    "help_text",
    "kind_option",
    "kind_value",
    "parse_backend",
    "parse_date",
    "parse_kind",
    "progress_path",
    "progress_records",
    "state",
    "sub_app",
]

LAST_DATE = date(2999, 12, 31)


# ---------------------------------------------------------------- the context object
@lru_cache(maxsize=8)
def _horizon(data: tuple[str, ...]) -> dict[str, Any]:
    """Per kind, the date from which the national data (plus ``data``) is complete: read once
    per process (reading it decompresses the national file)."""
    from ..loaders.dataset import national_path, read_horizon

    return read_horizon([national_path(), *data])


@dataclass(frozen=True)
class State:
    """What the main command's options say, handed to every command through ``ctx.obj``."""

    data: tuple[str, ...] = ()  # extra dataset files (``orgraph --data FILE``)
    neo4j: dict[str, str] = field(default_factory=dict)  # settings given to ``orgraph neo4j``

    def graph(self, *names: str, full: bool = False, plans: Sequence[Path] = ()) -> Any:
        """The embedded graph: with every body and the seeds' plans (and ``plans``) when ``full``,
        ``plans`` or one of ``names`` may name a body; otherwise its territorial part, which
        answers about territories alike."""
        if plans:
            from ..loaders.plans import load_full

            return load_full(self.data, tuple(str(p) for p in plans))
        from ..loaders.dataset import load_graph

        return load_graph(self.data, names=names, full=full)

    def check_horizon(self, on: date, kind: str | None = None) -> None:
        """A date before the data is complete exits 2, on every backend (never the 2025
        picture presented as another date's)."""
        from ..graph.build import check_horizon

        check_horizon(_horizon(self.data), on, kind=kind)


def state(ctx: typer.Context) -> State:
    """The context's :class:`State` (a default one for a group invoked on its own)."""
    return ctx.ensure_object(State)


class BackendName(StrEnum):
    networkx = "networkx"
    neo4j = "neo4j"


def backend_for(ctx: typer.Context, backend: BackendName, *names: str, full: bool = False) -> Any:
    """The :class:`~orgraph.queries.backend.Backend` ``--backend`` names, closed with the command
    (``names``, ``full``: which embedded graph, as :meth:`State.graph`)."""
    from ..queries.backend import neo4j_backend, networkx_backend

    if backend is BackendName.neo4j:
        from ._connect import open_backend

        be = neo4j_backend(open_backend(**state(ctx).neo4j))
        ctx.call_on_close(be.close)
        return be
    return networkx_backend(state(ctx).graph(*names, full=full))


# ---------------------------------------------------------------- types
def parse_date(value: str, option: str = "--on") -> date:
    """``YYYY-MM-DD`` up to :data:`LAST_DATE`, or a one-line usage error naming ``option``.

    >>> parse_date(" 2025-07-01 ")
    datetime.date(2025, 7, 1)
    """
    try:
        d = date.fromisoformat(value.strip())
    except ValueError:
        raise typer.BadParameter(
            Message("expected a date like 2025-07-01, got {value!r}", value=value), param_hint=option
        ) from None
    if d > LAST_DATE:
        # deadlines and weekly reports are computed a few weeks past the date asked; the
        # server takes the same range
        raise typer.BadParameter(
            Message("dates after {last} are not supported, got {value!r}", last=LAST_DATE.isoformat(), value=value),
            param_hint=option,
        )
    return d


def _hint(param: Any) -> str:
    """How an error names the parameter: ``--on`` for an option, ``START`` for an argument."""
    opts = [o for o in getattr(param, "opts", ()) if o.startswith("--")]
    return opts[0] if opts else str(param.name).upper()


def date_within_horizon(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> date | None:
    """A date option or argument: ``YYYY-MM-DD``, and a date the data is complete on (for
    units of any kind; a command asking about one kind checks that kind's horizon itself)."""
    if value is None:
        return None
    d = parse_date(str(value), _hint(param))
    state(ctx).check_horizon(d)
    return d


def any_date(ctx: typer.Context, param: typer.CallbackParam, value: Any) -> date | None:
    """A date option or argument (``YYYY-MM-DD``), whatever the data's horizon."""
    return None if value is None else parse_date(str(value), _hint(param))


def choice(enum: type[Enum], option: str, error: Callable[[str], str], *, fold: bool = False) -> Callable[[str], Any]:
    """A parser of one of ``enum``'s values (stripped and lower-cased with ``fold``), the
    member; anything else is a one-line error in this command line's words."""

    def parse(value: Any) -> Any:
        if isinstance(value, enum):
            return value
        try:
            return enum(str(value).strip().lower() if fold else str(value))
        except ValueError:
            raise typer.BadParameter(error(str(value)), param_hint=option) from None

    return parse


def choices(enum: type[Enum]) -> str:
    """The metavar that lists an enum's values, as typer shows a choice: ``[a|b|c]``."""
    return "[" + "|".join(str(m.value) for m in enum) + "]"


parse_kind = choice(
    Kind,
    "--kind",
    lambda v: Message(
        "unknown kind {value!r}; choose one of: {kinds}", value=v, kinds=", ".join(k.value for k in Kind)
    ),
    fold=True,
)
parse_backend = choice(BackendName, "--backend", lambda v: Message("choose networkx or neo4j"))


def kind_value(kind: Kind | None) -> str | None:
    """The kind's string, as the queries take it."""
    return None if kind is None else kind.value


# ---------------------------------------------------------------- options
Json = Annotated[bool, typer.Option("--json", help="Print the answer as JSON for programs.")]
Backend = Annotated[
    BackendName,
    typer.Option(
        "--backend",
        parser=parse_backend,
        metavar=choices(BackendName),
        help="networkx (embedded) or neo4j (NEO4J_URI).",
    ),
]


def kind_option(help: str) -> Any:
    """``--kind``, one of the unit kinds (graph/model.py's Kind), any case."""
    return typer.Option("--kind", parser=parse_kind, metavar=choices(Kind), help=help)


def date_option(*decls: str, help: str, horizon: bool = True) -> Any:
    """A date option (``YYYY-MM-DD``), checked against the data's horizon unless not ``horizon``."""
    return typer.Option(*decls, parser=str, callback=date_within_horizon if horizon else any_date, help=help)


def date_argument(*, help: str, horizon: bool = True) -> Any:
    """A date argument (``YYYY-MM-DD``), checked against the data's horizon unless not ``horizon``."""
    return typer.Argument(parser=str, callback=date_within_horizon if horizon else any_date, help=help)


On = Annotated[date | None, date_option("--on", help="Date, YYYY-MM-DD.")]
OnRequired = Annotated[date, date_option("--on", help="Date, YYYY-MM-DD.")]
KindOpt = Annotated[Kind | None, kind_option("Only units of this kind: province, district, commune, …")]
PlanFile = Annotated[list[Path], typer.Option("--plan-file", help="Also load this plan file (YAML or CSV).")]
Progress = Annotated[
    Path | None,
    typer.Option("--progress", help="Progress records (CSV or .xlsx); default: progress.csv here, if there is one."),
]


# ---------------------------------------------------------------- progress files
DEFAULT_PROGRESS = Path("progress.csv")


def progress_path(path: Path | None) -> Path | None:
    """The progress file asked for, or ``progress.csv`` here if there is one."""
    if path is not None:
        return path
    return DEFAULT_PROGRESS if DEFAULT_PROGRESS.exists() else None


def progress_records(G: Any, path: Path | None) -> tuple[Any, ...]:
    """The checked records of a progress file (none without one)."""
    from ..graph.errors import DataError
    from ..loaders.progress import read_progress
    from ..queries.progress import check_records

    if path is None:
        return ()
    if not path.exists():
        raise DataError(str(path), None, "no such progress file; create it with `orgraph progress record`")
    return check_records(G, read_progress(path))


# ---------------------------------------------------------------- help in the language asked
# typer's own words in a help page (typer.rich_utils), by the name typer keeps them under
_TYPER_WORDS = {
    "ARGUMENTS_PANEL_TITLE": "Arguments",
    "OPTIONS_PANEL_TITLE": "Options",
    "COMMANDS_PANEL_TITLE": "Commands",
    "DEFAULT_STRING": "[default: {}]",
    "ENVVAR_STRING": "[env var: {}]",
    "REQUIRED_LONG_STRING": "[required]",
}
_HELP_OPTION = "Show this message and exit."  # click's help of --help (its catalogue entry)
_LANG_KEY = "orgraph.lang"  # where the root command keeps --lang, read before its callback runs


def help_text(text: str | None) -> str | None:
    """A help text (a docstring or an option's ``help``) in the current language, paragraph
    by paragraph, each looked up in the catalogue with its spaces folded.

    >>> from orgraph.graph.i18n import using
    >>> with using("vi"):
    ...     help_text("Date,\\n    YYYY-MM-DD.")
    'Ngày, dạng YYYY-MM-DD.'
    """
    if not text or language() == "en":
        return text
    return "\n\n".join(t(" ".join(p.split())) for p in text.split("\n\n"))


def _lang_asked(args: Sequence[str]) -> str | None:
    """``--lang X`` or ``--lang=X`` among the main command's own options (before the command)."""
    for i, a in enumerate(args):
        if a == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if a.startswith("--lang="):
            return a.partition("=")[2]
        if not a.startswith("-"):
            return None
    return None


@contextmanager
def _help_language(ctx: Any) -> Iterator[None]:
    """The help page in the language asked: ``--lang`` (even when ``--help`` comes before the
    main command's callback could read it), else as :func:`~orgraph.graph.i18n.language` says."""
    from typer import rich_utils

    asked = ctx.find_root().meta.get(_LANG_KEY)
    with using(asked if asked and normalise(asked) else None):
        saved = {k: getattr(rich_utils, k) for k in _TYPER_WORDS}
        for k, en in _TYPER_WORDS.items():
            setattr(rich_utils, k, t(en))
        try:
            yield
        finally:
            for k, v in saved.items():
                setattr(rich_utils, k, v)


def _said(obj: Any, attr: str) -> None:
    """Set ``obj.attr`` (a help text) to its English original in the current language; the
    original is kept on the object, so each page is rendered from the English."""
    key = f"_orgraph_en_{attr}"
    if key not in obj.__dict__:
        obj.__dict__[key] = getattr(obj, attr, None)
    setattr(obj, attr, help_text(obj.__dict__[key]))


class _Localised:
    """A command whose help page (its text, its options', its commands') is rendered in the
    language asked: typer reads the help at import time, so it is translated when shown."""

    def format_help(self, ctx: Any, formatter: Any) -> None:
        with _help_language(ctx):
            _said(self, "help")
            for p in self.get_params(ctx):  # type: ignore[attr-defined]
                _said(p, "help")
            if isinstance(self, TyperGroup):
                for name in self.list_commands(ctx):
                    sub = self.get_command(ctx, name)
                    if sub is not None:
                        _said(sub, "help")
                        _said(sub, "short_help")
            super().format_help(ctx, formatter)  # type: ignore[misc]

    def get_usage(self, ctx: Any) -> str:
        usage: str = super().get_usage(ctx)  # type: ignore[misc]
        return usage.replace("Usage:", t("Usage:"), 1) if usage.startswith("Usage:") else usage

    def get_help_option(self, ctx: Any) -> Any:
        opt = super().get_help_option(ctx)  # type: ignore[misc]
        if opt is not None:
            opt.__dict__.setdefault("_orgraph_en_help", opt.help or _HELP_OPTION)
            _said(opt, "help")
        return opt


class LocalisedCommand(_Localised, TyperCommand):
    """A command whose help is shown in the language asked."""


# ---------------------------------------------------------------- apps and printing
class GuardedGroup(_Localised, TyperGroup):
    """A group whose commands' errors are one line on stderr and an exit code (``_errors``),
    and whose help is shown in the language asked (``--lang`` of the main command too)."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:
            ctx.meta[_LANG_KEY] = _lang_asked(args)
        return super().parse_args(ctx, args)  # type: ignore[no-any-return]

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt) as e:  # noqa: BLE001 - mapped, or raised again
            if isinstance(e, typer.TyperException | typer.Exit | typer.Abort):
                raise
            got = failure(e)
            if got is None:
                raise
            code, line = got
            typer.echo(line, err=True)
            raise typer.Exit(code) from None


class _App(typer.Typer):
    """A typer app whose commands show their help in the language asked."""

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Any:
        return super().command(*args, cls=cls or LocalisedCommand, **kwargs)


def sub_app(name: str | None = None, help: str | None = None) -> typer.Typer:
    """A typer app for one group of commands, its errors reported in one line and its help
    shown in the language asked."""
    return _App(
        name=name,
        help=help,
        cls=GuardedGroup,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )


def emit(result: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        typer.echo(json.dumps(jsonable(result), ensure_ascii=False, indent=2))
    else:
        typer.echo(text(result))

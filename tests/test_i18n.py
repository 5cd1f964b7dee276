"""Vietnamese output: one message catalogue, complete for what the code says, and the
pictures rendered in Vietnamese when asked."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from orgraph.graph.errors import DataError
from orgraph.graph.i18n import catalogue, language, placeholders, t, using

ROOT = Path(__file__).resolve().parents[1]
SKIP = {"tests", "scripts", "benchmarks", "build", "docs", "examples"}


def _sources():
    for p in sorted(ROOT.rglob("*.py")):
        rel = p.relative_to(ROOT)
        if rel.parts[0] in SKIP or any(x.startswith(".") for x in rel.parts):
            continue
        yield rel, ast.parse(p.read_text(encoding="utf-8"))


def _messages():
    """Every literal message id given to t() (also imported as tr) or to Message(), with where it is."""
    out = {}
    for rel, tree in _sources():
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and (
                    (isinstance(node.func, ast.Name) and node.func.id in ("t", "tr", "Message"))
                    or (isinstance(node.func, ast.Attribute) and node.func.attr == "t")  # i18n.t(...)
                )
                and node.args
            ):
                first = node.args[0]  # a message, or one of two ("… unit" if n == 1 else "… units")
                for m in (first.body, first.orelse) if isinstance(first, ast.IfExp) else (first,):
                    if isinstance(m, ast.Constant) and isinstance(m.value, str):
                        out.setdefault(m.value, f"{rel}:{node.lineno}")
    return out


def _constants():
    return {
        n.value
        for _, tree in _sources()
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    }


def test_every_message_the_code_says_is_in_the_catalogue_with_its_fields():
    vi = catalogue("vi")
    msgs = _messages()
    assert len(msgs) > 30  # the scan finds them (a broken scan would pass anything)
    missing = {m: where for m, where in msgs.items() if m not in vi}
    assert not missing, f"not translated: {missing}"
    for en, text in vi.items():
        assert placeholders(text) == placeholders(en), en


def _paragraphs(text: str) -> list[str]:
    """A help text's paragraphs, each with its spaces folded, as the help shows them."""
    return [" ".join(p.split()) for p in text.split("\n\n") if p.strip()]


def test_nothing_in_the_catalogue_is_unused():
    """A message is used when the code says it: to t(), or as a label the pictures pass
    through t() (legend words, tooltip row names), or as a kind's name with its underscores,
    or as a paragraph of a docstring or help text (the --help pages)."""
    consts = _constants()
    consts |= {p for c in consts for p in _paragraphs(c)}
    unused = [m for m in catalogue("vi") if m not in consts and m.replace(" ", "_") not in consts]
    assert not unused


def test_the_language_comes_from_the_choice_then_the_environment(monkeypatch):
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    assert language() == "en" and t("Legend") == "Legend"
    monkeypatch.setenv("ORGRAPH_LANG", "vi_VN.UTF-8")
    assert language() == "vi" and t("Legend") == "Chú giải"
    with using("en"):
        assert t("Legend") == "Legend"
    monkeypatch.setenv("ORGRAPH_LANG", "klingon")
    assert language() == "en"
    with pytest.raises(DataError, match="choose en or vi"), using("fr"):
        pass


@pytest.fixture(scope="module")
def pictures():
    from orgraph.loaders.plans import load_full
    from orgraph.viz import model as m

    G = load_full(plans=[str(ROOT / "examples" / "worked_plan.yaml")])

    def make():
        return [
            m.province_picture(G, "province:33@2025-07-01"),
            m.unit_picture(G, "commune:00019"),
            m.country_picture(G),
            m.diff_picture(G, dt.date(2025, 6, 30), dt.date(2025, 7, 1), province="province:33@2025-07-01"),
            m.tasks_picture(G, plan="VD-01/TB", on=dt.date(2025, 8, 1)),
        ]

    with using("en"):
        en = make()
    with using("vi"):
        vi = make()
    return en, vi


def _rows(pic):
    return [k for item in (*pic.nodes, *pic.edges) for k, _ in (item.get("tip") or {}).get("rows", ())]


def test_the_pictures_say_their_legend_headers_tooltips_and_titles_in_vietnamese(pictures):
    vi_words = catalogue("vi")
    for en, vi in zip(*pictures, strict=True):
        assert en.title != vi.title
        assert en.subtitle != vi.subtitle and not _english_left(vi.subtitle), vi.subtitle
        assert [n["id"] for n in en.nodes] == [n["id"] for n in vi.nodes]  # the same picture
        assert [n["label"] for n in en.nodes] == [n["label"] for n in vi.nodes]  # names are names
        for a, b in zip([x["label"] for x in en.legend], [x["label"] for x in vi.legend], strict=True):
            assert a != b, a
        for a, b in zip(en.headers, vi.headers, strict=True):
            a, b = (h.get("text") if isinstance(h, dict) else h for h in (a, b))
            assert not a or a != b, a
        for a, b in zip(_rows(en), _rows(vi), strict=True):
            assert a != b, a
        for a, b in zip(en.frames, vi.frames, strict=True):
            if a.get("caption") in vi_words:
                assert b["caption"] == vi_words[a["caption"]]


def _values(pics):
    return [
        str(v) for pic in pics for item in (*pic.nodes, *pic.edges) for _, v in (item.get("tip") or {}).get("rows", ())
    ]


def test_the_tooltips_values_are_said_too(pictures):
    """An ended unit's "into …" and a holder's status are sentences, not data."""
    en, vi = map(_values, pictures)
    words = catalogue("vi")
    into = words["into {names} ({portion})"].partition("{")[0]
    assert any(v.startswith("into ") or ", into " in v for v in en)  # (the scan sees them)
    assert not any(", into " in v for v in vi) and any(", " + into in v for v in vi)
    held = [f": {s}" for s in ("inherited", "orphan", "ambiguous")]
    assert any(h in v for v in en for h in held)
    assert not any(h in v for v in vi for h in held)
    assert any(f": {words[s[2:]]}" in v for v in vi for s in held)


def test_the_page_itself_speaks_the_language(pictures):
    pytest.importorskip("pyvis")
    from orgraph.viz.render import to_html

    en, vi = pictures
    with using("vi"):
        page = to_html(vi[0])
    assert '<html lang="vi">' in page and "Tìm đơn vị" in page and "Chú giải" in page
    for english in ("Find a unit", "Legend", "Click a unit or a line", "Hover for details"):
        assert english not in page
    with using("en"):
        assert '<html lang="en">' in to_html(en[0])


def _run(capsys, *argv):
    from orgraph.cli import main

    capsys.readouterr()
    rc = main(list(argv))
    out = capsys.readouterr()
    return rc, out.out, out.err


def test_the_command_line_speaks_vietnamese_when_asked_and_json_stays(capsys, monkeypatch):
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    rc, en, _ = _run(capsys, "snapshot", "--on", "2025-07-01")
    rc_vi, vi, _ = _run(capsys, "--lang", "vi", "snapshot", "--on", "2025-07-01")
    assert rc == rc_vi == 0 and en != vi
    assert "ngày 2025-07-01:" in vi and "cấp xã" in vi and "3,321" in vi
    assert [x for x in en.split() if x.replace(",", "").isdigit()] == [
        x for x in vi.split() if x.replace(",", "").isdigit()
    ]  # the same counts, in the same order
    assert _run(capsys, "--lang", "en", "snapshot", "--on", "2025-07-01")[1] == en  # no leak from the last call
    j_en = _run(capsys, "successors", "commune:00019", "--on", "2025-07-01", "--json")[1]
    j_vi = _run(capsys, "--lang", "vi", "successors", "commune:00019", "--on", "2025-07-01", "--json")[1]
    assert j_en == j_vi  # programs read the same keys and values
    monkeypatch.setenv("ORGRAPH_LANG", "vi")
    assert _run(capsys, "snapshot", "--on", "2025-07-01")[1] == vi


def test_errors_in_vietnamese_and_a_wrong_language_is_one_line(capsys, monkeypatch):
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    rc, _, err = _run(capsys, "--lang", "vi", "lineage", "Xã Không Có Thật Nào")
    assert rc == 3 and err.startswith("lỗi: ") and len(err.strip().splitlines()) == 1
    rc, _, err = _run(capsys, "--lang", "fr", "find", "Hưng Yên")
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "en or vi" in err
    monkeypatch.setenv("ORGRAPH_LANG", "klingon")
    rc, _, err = _run(capsys, "find", "Hưng Yên")
    assert rc == 2 and "klingon" in err


def test_a_picture_asked_in_vietnamese_is_written_in_vietnamese(capsys, tmp_path, monkeypatch):
    pytest.importorskip("pyvis")
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    out = tmp_path / "hy.html"
    rc, said, _ = _run(capsys, "--lang", "vi", "viz", "province", "Hưng Yên", "-o", str(out))
    assert rc == 0 and "thay đổi ngày 2025-07-01" in said
    page = out.read_text(encoding="utf-8")
    assert '<html lang="vi">' in page and "Chú giải" in page and "cấp xã: xã — mới" in page


# ---------------------------------------------------------------- whole commands in Vietnamese
def _template(msg: str) -> re.Pattern[str] | None:
    """A message as a pattern over the lines it makes (its fields match anything); None for
    one whose own words are too short to recognise in a line (a field, a word)."""
    parts = re.split(r"\{[^{}]*\}", msg)
    if max((len(p.strip()) for p in parts), default=0) < 6 or " " not in msg.strip():
        return None  # (a single word is looked for by _english_left)
    return re.compile(r"(?<![\w:])" + ".*?".join(re.escape(p) for p in parts) + r"(?![\w:])")  # ids are not words


class _Heard(dict):
    """The catalogue, noting every message asked of it (the real catalogue answers)."""

    def __init__(self, words):
        super().__init__(words)
        self.asked = set()

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)


def _english_words() -> set[str]:
    """Words of the catalogue's English that its Vietnamese never uses: seeing one in a
    Vietnamese output means a sentence was left in English."""
    vi = catalogue("vi")
    words = lambda x: set(re.findall(r"[a-z]{4,}", re.sub(r"\{[^{}]*\}", " ", x).lower()))  # noqa: E731
    return set().union(*map(words, vi)) - set().union(*map(words, vi.values()))


def _english_left(out: str) -> list[str]:
    """Words of a Vietnamese output that are English (ids such as generic_key or file.txt,
    and options such as --plan-file, are not words)."""
    english = _english_words()
    return [w for w in out.split() if w.strip(".,;:()[]'\"…").lower() in english]


def _said_in_vietnamese(en_out: str, vi_out: str, asked: set[str]) -> None:
    """The Vietnamese output says no message of the catalogue in English, has no English
    word of it left, and every message the command asked for is in the catalogue."""
    vi = catalogue("vi")
    assert asked, "the command asked for no message (a broken spy would pass anything)"
    assert not asked - set(vi), f"not in the catalogue: {sorted(asked - set(vi))}"
    vi_lines = vi_out.splitlines()
    for en in vi:
        pe, pv = _template(en), _template(vi[en])
        if pe is None or vi[en] == en:
            continue
        english = [x for x in vi_lines if pe.search(x) and not (pv and pv.search(x))]
        assert not english, f"{en!r} still in English: {english[:2]}"
    assert not _english_left(vi_out), _english_left(vi_out)[:10]
    assert len(en_out.splitlines()) == len(vi_lines)  # the same answer, line for line


COMMANDS = [
    ("tasks", "--on", "2025-08-01"),
    ("tasks", "--on", "2025-08-01", "--overdue"),
    ("tasks", "--on", "2025-08-01", "--due-within", "10d"),
    ("validate", "--on", "2025-08-01"),
    ("validate", "--on", "2025-08-01", "--plan-file", str(ROOT / "examples" / "worked_plan.yaml")),  # an orphan
    ("tasks", "--plan", "VD-01/TB", "--on", "2025-08-01", "--plan-file", str(ROOT / "examples" / "worked_plan.yaml")),
    ("successors", "Hà Giang"),
    ("successors", "Hưng Yênn"),  # read as a typo: the note says how
    ("convert", "--address", "xa minh khaii huyen hung ha thai binh"),
    ("convert", "--province", "Tỉnh Hà Giang", "--commune", "Xã Không Có"),
    ("tasks", "--plan", "nope"),  # the error and its suggestions
    ("tasks", "--progress", str(ROOT / "examples" / "progress.csv")),  # a record of a plan not loaded
    ("lineage", "Xã Không Có Thật Nào"),
    # usage errors (click's words and the command line's own), and a date before the horizon
    ("snapshot", "--on", "20x"),
    ("snapshot", "--bogus"),
    ("snapshot", "--o", "2025-07-01"),
    ("snapshot", "--on"),
    ("find", "a", "b"),
    ("tasks", "--due-within", "zz"),
    ("convert",),
    ("snapshot", "--on", "2024-06-01"),
    ("snapshot", "--on", "1990-06-01", "--kind", "province"),
]


@pytest.mark.parametrize("argv", COMMANDS, ids=" ".join)
def test_a_command_says_in_vietnamese_every_message_it_says_in_english(capsys, monkeypatch, argv):
    from orgraph.graph import i18n

    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    rc, out, err = _run(capsys, "--lang", "en", *argv)
    heard = _Heard(catalogue("vi"))
    monkeypatch.setattr(i18n, "catalogue", lambda lang: heard)
    rc_vi, out_vi, err_vi = _run(capsys, "--lang", "vi", *argv)
    monkeypatch.undo()
    assert rc == rc_vi and out_vi + err_vi != out + err
    _said_in_vietnamese(out + err, out_vi + err_vi, heard.asked)
    if "--json" not in argv and rc == 0:
        j_en = _run(capsys, "--lang", "en", *argv, "--json")[1] if argv[0] != "validate" else ""
        j_vi = _run(capsys, "--lang", "vi", *argv, "--json")[1] if argv[0] != "validate" else ""
        assert j_en == j_vi  # what programs read is the same in any language


def _help_commands():
    """Every command of the command line, with its path (``["tasks"]``, ``["viz", "unit"]``)."""
    import typer
    from orgraph.cli import app

    def walk(cmd, path):
        yield path, cmd
        if hasattr(cmd, "list_commands"):
            ctx = cmd.context_class(cmd)
            for name in cmd.list_commands(ctx):
                yield from walk(cmd.get_command(ctx, name), [*path, name])

    return list(walk(typer.main.get_command(app), []))


def _helps(cmd):
    """The help texts a command's page shows: its own, its options' and its commands'."""
    texts = [cmd.help or ""] + [getattr(p, "help", None) or "" for p in cmd.params]
    if hasattr(cmd, "list_commands"):
        ctx = cmd.context_class(cmd)
        texts += [(cmd.get_command(ctx, n).help or "").split("\n\n")[0] for n in cmd.list_commands(ctx)]
    return [p for x in texts for p in _paragraphs(x)]


def test_every_help_text_is_in_the_catalogue():
    vi = catalogue("vi")
    missing = {p: " ".join(path) for path, cmd in _help_commands() for p in _helps(cmd) if p not in vi}
    assert not missing, f"help not translated: {missing}"


def _page(text: str) -> str:
    """A help page as running text: its frames gone, its wrapped lines joined."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.mark.parametrize(
    ("argv", "env"),
    [(["--lang", "vi", "tasks", "--help"], None), (["convert", "--help"], "vi"), (["--lang", "vi", "--help"], None)],
    ids=["--lang vi tasks", "ORGRAPH_LANG=vi convert", "--lang vi (the main command)"],
)
def test_help_pages_in_vietnamese(capsys, monkeypatch, argv, env):
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    cmd = dict((tuple(p), c) for p, c in _help_commands())[
        tuple(a for a in argv if a not in ("--lang", "vi", "--help"))
    ]
    en = _page(_run(capsys, *[a for a in argv if a not in ("--lang", "vi")])[1])
    if env:
        monkeypatch.setenv("ORGRAPH_LANG", env)
    rc, out, _ = _run(capsys, *argv)
    page, vi = _page(out), catalogue("vi")
    assert rc == 0
    for p in _helps(cmd):
        assert " ".join(vi[p].split()) in page, p
        if vi[p] != p and len(p) > 20:
            assert p in en and p not in page, p
    for word in ("Options", "Usage:", "Show this message and exit."):
        assert word in en and word not in page and vi[word] in page


@pytest.mark.parametrize(
    ("argv", "english"),
    [
        (["snapshot", "--on", "20x"], "Invalid value for --on: expected a date like 2025-07-01, got '20x'"),
        (["snapshot", "--kind", "zzz"], "Invalid value for --kind: unknown kind 'zzz'; choose one of: province,"),
        (["successors"], "Missing argument 'unit'."),
        (["snapshot", "--bogus"], "No such option: --bogus"),
    ],
    ids=["a bad date", "a bad kind", "a missing argument", "an unknown option"],
)
def test_a_usage_error_is_one_line_in_the_language_asked_with_the_same_exit(capsys, monkeypatch, argv, english):
    """Click's own words and the command line's reasons, in Vietnamese; the values the user
    typed (an option, a kind's value) stay as typed; English as it was."""
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    rc, _, err = _run(capsys, *argv)
    rc_vi, _, err_vi = _run(capsys, "--lang", "vi", *argv)
    assert rc == rc_vi == 2 and err.startswith("error: " + english)
    assert len(err_vi.strip().splitlines()) == 1 and err_vi.startswith(
        catalogue("vi")["error: {message}"].format(message="")
    )
    template = next(
        m for m in catalogue("vi") if _template(m) and _template(m).fullmatch(err[len("error: ") :].strip())
    )
    assert _template(catalogue("vi")[template]).fullmatch(err_vi.partition(": ")[2].strip()), err_vi
    assert english.split()[-1].strip(".,") in err_vi  # what was typed (or its name) as it is
    if "--kind" in argv:
        assert "province, district, commune" in err_vi  # values to type, not words to read


def test_a_plan_file_refused_in_vietnamese_names_the_file_and_the_row(capsys, monkeypatch, tmp_path):
    """The reason is said in the language asked; the file and the row are named as in English."""
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    bad = tmp_path / "kế hoạch.csv"
    bad.write_text("plan,issuer,number,text,lead\nP1,UBND tỉnh Hưng Yên,1,Rà soát,\n", encoding="utf-8")
    rc, _, err = _run(capsys, "load-plan", str(bad))
    rc_vi, _, err_vi = _run(capsys, "--lang", "vi", "load-plan", str(bad))
    assert rc == rc_vi == 2
    assert err == f"error: {bad}, row 2: a task needs a lead body\n"
    with using("vi"):
        where = t("{file}, row {row}: {reason}", file=str(bad), row=2, reason=t("a task needs a lead body"))
        assert err_vi == t("error: {message}", message=where) + "\n"
    assert not _english_left(err_vi)


def test_a_progress_file_refused_in_vietnamese(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    bad = tmp_path / "progress.csv"
    bad.write_text("task,status\nx,y\n", encoding="utf-8")
    argv = ("tasks", "--on", "2025-08-01", "--progress", str(bad))
    rc, _, err = _run(capsys, *argv)
    rc_vi, _, err_vi = _run(capsys, "--lang", "vi", *argv)
    assert rc == rc_vi == 2 and err.startswith(f"error: {bad}, row 1: the header needs the columns [")
    header = catalogue("vi")["the header needs the columns {columns} ({what})"].partition("{")[0]
    assert err_vi.startswith(f"lỗi: {bad}, dòng 1: {header}") and len(err_vi.splitlines()) == 1
    assert "missing" in err and "missing" not in err_vi  # (the columns named are names to type)


def test_an_xlsx_plan_refused_in_vietnamese_names_the_sheet_row_and_column(capsys, monkeypatch, tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    monkeypatch.delenv("ORGRAPH_LANG", raising=False)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Bảng 1"
    for row in (["Kế hoạch số", "T-1/KH"], ["Cơ quan ban hành", "Tỉnh ủy Hưng Yên"], []):
        ws.append(row)
    ws.append(["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian hoàn thành"])
    ws.append([1, "Rà soát", None, None, None])
    bad = tmp_path / "kế hoạch.xlsx"
    wb.save(bad)
    rc, _, err = _run(capsys, "load-plan", str(bad))
    rc_vi, _, err_vi = _run(capsys, "--lang", "vi", "load-plan", str(bad))
    assert rc == rc_vi == 2
    assert err == f"error: {bad} [sheet 'Bảng 1'], row 5, column C: task 1 has no lead body (cơ quan chủ trì)\n"
    with using("vi"):
        sheet = t("{file} [sheet {name!r}]", file=str(bad), name="Bảng 1")
        where = t("{sheet}, row {row}, column {column}", sheet=sheet, row=5, column="C")
        reason = t("task {number} has no lead body (cơ quan chủ trì)", number=1)
        assert err_vi == t("error: {message}", message=t("{file}: {reason}", file=where, reason=reason)) + "\n"

"""Write a :class:`~orgraph.viz.model.Picture` as one HTML page: the only module that talks
to pyvis.

The page works offline from disk. pyvis 0.3.2's own template loads Bootstrap from a CDN even
with ``cdn_resources="in_line"``, shows tooltips through ``innerHTML`` and puts ``heading``
in raw, so the page is rendered from our template (``templates/orgraph.html``) instead:

* vis-network 9.1.2 (JS and CSS) is inlined from the copy pyvis bundles in its ``lib/``;
* the Jinja environment autoescapes, and data reaches scripts only as HTML-safe JSON;
* tooltips are built in the page from plain text with ``textContent``;
* a Content-Security-Policy allows no network at all and runs only the page's own scripts
  (by hash), so even a name that slipped through could neither load nor run anything.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import os
import re
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from ..graph.errors import DataError, OrgraphError
from ..graph.i18n import language
from ..graph.i18n import t as tr
from .model import Picture
from .style import EDGE_DEFAULTS

__all__ = ["to_html", "write_html", "vis_options"]

VIS = "lib/vis-9.1.2"
_LOOK = (
    "shape",
    "color",
    "borderWidth",
    "borderWidthSelected",
    "font",
    "shapeProperties",
    "margin",
    "size",
    "widthConstraint",
    "shadow",
)
_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
_CSP = "__ORGRAPH_CSP__"


def vis_options() -> dict[str, Any]:
    """vis-network options shared by every page: fixed positions, no physics."""
    return {
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": True,
            "keyboard": {"enabled": True, "bindToWindow": False},
            "multiselect": True,
            "hideEdgesOnDrag": False,
        },
        "nodes": {"shadow": False, "chosen": True},
        "edges": copy.deepcopy(EDGE_DEFAULTS),
    }


def _pyvis() -> Any:
    try:
        from pyvis.network import Network
    except ImportError:  # pragma: no cover - depends on the environment
        raise OrgraphError("pictures need pyvis: pip install 'orgraph[viz]' (pyvis==0.3.2)") from None
    return Network


def _vis_files() -> tuple[str, str]:
    import pyvis

    lib = resources.files(pyvis).joinpath(VIS)
    js = lib.joinpath("vis-network.min.js").read_text("utf-8")
    css = lib.joinpath("vis-network.css").read_text("utf-8")
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover
        raise OrgraphError("the bundled vis-network cannot be inlined safely")
    return js, css


def _templates() -> Path:
    return Path(str(resources.files("orgraph.viz").joinpath("templates")))


def to_html(picture: Picture) -> str:
    """The page for ``picture``, as text.

    >>> from orgraph.viz.model import Picture
    >>> html = to_html(Picture("unit", "<b>x</b>", "", [], [], []))
    >>> "<b>x</b>" in html, "&lt;b&gt;x&lt;/b&gt;" in html
    (False, True)
    """
    Network = _pyvis()  # first: a one-line error if the viz extra is not installed
    from jinja2 import Environment, FileSystemLoader, select_autoescape
    from markupsafe import Markup

    net = Network(height="100%", width="100%", directed=True, heading=picture.title, cdn_resources="in_line")
    # Nodes that look alike share a vis "group", so each look is written once.
    groups: dict[str, str] = {}
    for n in picture.nodes:
        look = json.dumps({k: n[k] for k in _LOOK if k in n}, sort_keys=True)
        group = groups.setdefault(look, f"g{len(groups)}")
        opts = {k: v for k, v in n.items() if k not in _LOOK and k not in ("id", "label")}
        net.add_node(n["id"], label=n["label"], shape=n["shape"], group=group, **opts)
    for e in picture.edges:
        opts = {k: v for k, v in e.items() if k not in ("from", "to")}
        net.add_edge(e["from"], e["to"], **opts)
    options = vis_options()
    options["groups"] = {g: json.loads(look) for look, g in groups.items()}
    net.options = options  # a dict: pyvis's set_options() strips the spaces out of strings

    net.set_template_dir(str(_templates()) + os.sep, "orgraph.html")
    env = Environment(
        loader=FileSystemLoader(str(_templates())),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.policies["json.dumps_kwargs"] = {"sort_keys": True, "ensure_ascii": False}
    js, css = _vis_files()
    ui = {
        "lang": language(),
        "search": tr("Find a unit: name, code or id"),
        "search_label": tr("Find a unit"),
        "details": tr("Details"),
        "click": tr("Click a unit or a line to see its details here."),
        "legend": tr("Legend"),
        "one_match": tr("1 match"),
        "matches": tr("{n} matches"),
        "hint": tr(
            "Hover for details · click to keep them here · scroll to zoom · drag to move · "
            "Enter in the search box zooms to the matches, Esc clears."
        ),
    }
    env.globals.update(
        vis_js=Markup(js),
        vis_css=Markup(css),
        subtitle=picture.subtitle,
        notes=picture.notes,
        legend=picture.legend,
        ui=ui,
        page={
            "ui": ui,
            "view": picture.view,
            "frames": picture.frames,
            "headers": picture.headers,
            "counts": {"nodes": len(picture.nodes), "edges": len(picture.edges)},
        },
        csp=Markup(_CSP),
    )
    net.templateEnv = env
    html = net.generate_html(name="orgraph.html")
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in _SCRIPT.findall(html)
    )
    policy = (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; form-action 'none'; base-uri 'none'"
    )
    if html.count(_CSP) != 1:  # pragma: no cover - the template carries exactly one
        raise OrgraphError("the page template lost its Content-Security-Policy")
    return html.replace(_CSP, policy)


def write_html(picture: Picture, path: str | os.PathLike[str]) -> Path:
    """Write the page for ``picture`` to ``path`` atomically (a temporary file, then a
    rename), so a reader never sees half a page. Returns the path written."""
    target = Path(path)
    html = to_html(picture)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as e:
        raise DataError(str(target), None, f"cannot write: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(html)
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException as e:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(e, OSError):
            raise DataError(str(target), None, f"cannot write: {e.strerror or e}") from None
        raise
    return target

"""Place the nodes of a picture: no physics, so a page is still the moment it is drawn.

A picture is a list of *blocks* (one per old district, say). A block is a row of columns
read left to right: time runs that way, so old units stand left of the new ones they went
into. Within a block the columns are ordered to keep lines from crossing (barycentre
sweeps), and each new unit sits level with the units it was made of. The blocks are then
packed, in order, into as many page columns as make the whole about as wide as a screen.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from math import log

__all__ = ["Block", "Layout", "place", "text_width"]

ROW_GAP = 6.0  # vertical space between two nodes of a column
GROUP_GAP = 12.0  # extra space between two fans (groups feeding different new units)
COLUMN_GAP = 110.0  # horizontal space between the columns of a block
BLOCK_GAP_X = 90.0
BLOCK_GAP_Y = 40.0
PAD = 18.0  # inside a block's frame
CAPTION = 50.0  # room for a block's caption above its nodes (drawn larger when zoomed out)


def text_width(text: str, size: float = 13.0) -> float:
    """A fair guess of how wide ``text`` is drawn at ``size`` px (widest line)."""
    widest = max((len(line) for line in text.split("\n")), default=0)
    return widest * size * 0.56


@dataclass
class Block:
    """A group of nodes drawn together: ``columns`` holds node ids, left to right."""

    columns: list[list[str]]
    caption: str = ""
    shade: str = "#f4f6f8"


@dataclass
class Layout:
    positions: dict[str, tuple[float, float]]
    frames: list[dict] = field(default_factory=list)  # x, y, w, h, caption, shade (canvas coords)
    headers: list[dict] = field(default_factory=list)  # x, y, w, text: column titles


def _order(block: Block, nbrs: dict[str, set[str]]) -> list[list[str]]:
    cols = [list(c) for c in block.columns]
    n = len(cols)

    def sweep(c: int, ref: int) -> None:
        where = {u: i for i, u in enumerate(cols[ref])}
        start = {u: i for i, u in enumerate(cols[c])}

        def key(u: str) -> tuple[int, float, int]:
            idx = [where[v] for v in nbrs.get(u, ()) if v in where]
            if not idx:
                return (1, 0.0, start[u])
            return (0, sum(idx) / len(idx), start[u])

        cols[c].sort(key=key)

    for _ in range(2):
        for c in range(1, n):
            if cols[c - 1]:
                sweep(c, c - 1)
        for c in range(n - 2, -1, -1):
            if cols[c + 1] and len(cols[c]) > 1:
                sweep(c, c + 1)
    for c in range(1, n):  # end on a forward sweep: new units follow the old order
        if cols[c - 1]:
            sweep(c, c - 1)
    return cols


def _stack(ids: Sequence[str], heights: dict[str, float], groups: Sequence[object]) -> list[float]:
    ys, y = [], 0.0
    for i, u in enumerate(ids):
        if i:
            y += (heights[ids[i - 1]] + heights[u]) / 2 + ROW_GAP
            if groups[i] != groups[i - 1]:
                y += GROUP_GAP
        ys.append(y)
    return ys


def _settle(ids: Sequence[str], want: Sequence[float], heights: dict[str, float]) -> list[float]:
    """Positions as close to ``want`` as they can be without overlapping, order kept."""
    if not ids:
        return []
    ys = list(want)
    for i in range(1, len(ids)):
        low = ys[i - 1] + (heights[ids[i - 1]] + heights[ids[i]]) / 2 + ROW_GAP
        ys[i] = max(ys[i], low)
    shift = sum(w - y for w, y in zip(want, ys, strict=True)) / len(ys)
    if shift < 0:  # pushing down drifted the column; bring it back up as a whole
        ys = [y + shift for y in ys]
    return ys


def _place_block(
    cols: list[list[str]], nbrs: dict[str, set[str]], heights: dict[str, float], xs: list[float]
) -> dict[str, tuple[float, float]]:
    n = len(cols)
    extent = [sum(heights[u] + ROW_GAP for u in c) for c in cols]
    anchor = max(range(n), key=lambda c: (extent[c], -c))
    pos: dict[str, float] = {}

    def first_nbr(u: str, ref: list[str]) -> object:
        where = {v: i for i, v in enumerate(ref)}
        idx = sorted(where[v] for v in nbrs.get(u, ()) if v in where)
        return idx[0] if idx else None

    ref = cols[anchor + 1] if anchor + 1 < n else (cols[anchor - 1] if anchor else [])
    groups = [first_nbr(u, ref) for u in cols[anchor]]
    for u, y in zip(cols[anchor], _stack(cols[anchor], heights, groups), strict=True):
        pos[u] = y

    def follow(c: int, ref_c: int) -> None:
        bottom = max(pos.values(), default=0.0)
        want = []
        for u in cols[c]:
            ys = [pos[v] for v in nbrs.get(u, ()) if v in pos and v in set(cols[ref_c])]
            want.append(sum(ys) / len(ys) if ys else bottom)
        for u, y in zip(cols[c], _settle(cols[c], want, heights), strict=True):
            pos[u] = y

    for c in range(anchor + 1, n):
        follow(c, c - 1)
    for c in range(anchor - 1, -1, -1):
        follow(c, c + 1)
    return {u: (xs[c], pos[u]) for c in range(n) for u in cols[c]}


def place(
    blocks: Sequence[Block],
    links: Iterable[tuple[str, str]],
    sizes: dict[str, tuple[float, float]],
    *,
    aspect: float = 1.6,
    headers: Sequence[str] = (),
) -> Layout:
    """Positions for every node of ``blocks``; ``sizes`` gives each node's (width, height).

    >>> lay = place([Block([["a", "b"], ["c"]])], [("a", "c"), ("b", "c")],
    ...             {"a": (60, 20), "b": (60, 20), "c": (60, 20)})
    >>> lay.positions["a"][0] < lay.positions["c"][0]
    True
    >>> lay.positions["c"][1] == (lay.positions["a"][1] + lay.positions["b"][1]) / 2
    True
    """
    nbrs: dict[str, set[str]] = defaultdict(set)
    for one, other in links:
        nbrs[one].add(other)
        nbrs[other].add(one)
    heights = {u: s[1] for u, s in sizes.items()}
    n_cols = max((len(b.columns) for b in blocks), default=0)
    widths = [
        max((sizes[u][0] for b in blocks if c < len(b.columns) for u in b.columns[c]), default=0.0)
        for c in range(n_cols)
    ]
    xs, x = [], 0.0
    for c, w in enumerate(widths):
        if c and widths[c - 1] and w:
            x += COLUMN_GAP
        x += w / 2
        xs.append(x)
        x += w / 2
    block_w = x + 2 * PAD

    placed: list[tuple[Block, dict[str, tuple[float, float]], float, float]] = []
    for b in blocks:
        cols = _order(b, nbrs)
        local = _place_block(cols, nbrs, heights, xs)
        if local:
            top = min(y - heights[u] / 2 for u, (_, y) in local.items())
            bottom = max(y + heights[u] / 2 for u, (_, y) in local.items())
        else:
            top = bottom = 0.0
        h = bottom - top + 2 * PAD + (CAPTION if b.caption else 0.0)
        placed.append((b, local, top, h))

    total = sum(h for *_, h in placed) + BLOCK_GAP_Y * max(len(placed) - 1, 0)
    best: tuple[float, list[list[int]]] | None = None
    for k in range(1, len(placed) + 1):
        groups = _partition([h for *_, h in placed], k)
        width = k * block_w + (k - 1) * BLOCK_GAP_X
        height = max(sum(placed[i][3] for i in g) + BLOCK_GAP_Y * (len(g) - 1) for g in groups)
        score = abs(log(width / max(height, 1.0) / aspect))
        if best is None or score < best[0] - 1e-9:
            best = (score, groups)
        if height < total / k * 0.5:
            break
    groups = best[1] if best else []

    lay = Layout(positions={})
    header_room = 64.0 if headers else 0.0
    for gi, g in enumerate(groups):
        x0 = gi * (block_w + BLOCK_GAP_X)
        y = header_room
        for hi, text in enumerate(headers):
            if hi < len(xs) and text:
                near = [abs(xs[hi] - xs[j]) for j in range(len(xs)) if j != hi]
                room = min(near, default=block_w) * 0.92
                lay.headers.append({"x": round(x0 + PAD + xs[hi], 1), "y": 0.0, "text": text, "w": round(room, 1)})
        for i in g:
            b, local, top, h = placed[i]
            cap = CAPTION if b.caption else 0.0
            for u, (lx, ly) in local.items():
                lay.positions[u] = (round(x0 + PAD + lx, 1), round(y + PAD + cap + ly - top, 1))
            lay.frames.append({"x": x0, "y": y, "w": block_w, "h": h, "caption": b.caption, "shade": b.shade})
            y += h + BLOCK_GAP_Y
    return lay


def _partition(heights: list[float], k: int) -> list[list[int]]:
    """Split 0..n-1, in order, into at most ``k`` runs of about equal total height."""
    n = len(heights)
    if k >= n:
        return [[i] for i in range(n)]
    target = (sum(heights) + BLOCK_GAP_Y * (n - 1)) / k
    groups: list[list[int]] = [[]]
    acc = 0.0
    for i, h in enumerate(heights):
        left = n - i
        if groups[-1] and len(groups) < k and (acc + h / 2 > target or left <= k - len(groups)):
            groups.append([])
            acc = 0.0
        groups[-1].append(i)
        acc += h + BLOCK_GAP_Y
    return groups

"""Interactive pictures of the graph: pure builders of the picture's data (:mod:`.model`)
and one small writer of self-contained HTML pages (:mod:`.render`, the only user of pyvis).

>>> from orgraph import load_national
>>> from orgraph.viz import province_picture
>>> pic = province_picture(load_national(), "province:33@2025-07-01")
>>> len(pic.nodes), len(pic.edges)
(506, 767)
"""

from .model import (
    Picture,
    country_picture,
    diff_picture,
    province_picture,
    tasks_picture,
    unit_picture,
)
from .render import to_html, write_html

__all__ = [
    "Picture",
    "country_picture",
    "diff_picture",
    "province_picture",
    "tasks_picture",
    "to_html",
    "unit_picture",
    "write_html",
]

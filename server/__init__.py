"""``orgraph serve``: the library's answers over HTTP, a JSON API and a web page.

Needs the ``serve`` extra (``pip install 'orgraph[serve]'``: FastAPI, uvicorn,
python-multipart). The app is built from a :class:`Backend` opened once; it only reads.

>>> from orgraph.server import Backend, create_app
>>> app = create_app(Backend.embedded())
>>> app.title
'orgraph'
"""

from .app import Limits, create_app
from .backend import Backend
from .errors import STATUS, error_answer

__all__ = ["Backend", "Limits", "STATUS", "create_app", "error_answer"]

"""The web page in headless Chromium, against a real ``orgraph serve``: search by name, by
body and by a whole old address, open the lineage picture, upload a CSV, switch language.
Every check runs with the network off except localhost (every other host fails to
resolve), and checks that the page asked nothing but the server and broke no policy.
"""

from __future__ import annotations

import csv
import os
import time
from urllib.parse import urlparse

import orgraph
import pytest
from browser import Browser, find_chromium, png_stats
from helpers import AFTER, BEFORE
from orgraph.queries import convert_csv, find

pytestmark = pytest.mark.browser
pytest.importorskip("fastapi")

REQUIRED = os.environ.get("ORGRAPH_REQUIRE_BROWSER") == "1"
PAYLOAD = "<img src=x onerror=window.__pwned=1>"


@pytest.fixture(scope="module")
def browser():
    try:
        import selenium  # noqa: F401
    except ImportError:
        if REQUIRED:
            pytest.fail("ORGRAPH_REQUIRE_BROWSER=1 but selenium is not installed")
        pytest.skip("selenium is not installed (pip install -e '.[test]')")
    if find_chromium() is None:
        if REQUIRED:
            pytest.fail("ORGRAPH_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed")
        pytest.skip("chromium/chromedriver are not installed")
    b = Browser.start(width=1280, height=1000)
    yield b
    b.close()


@pytest.fixture
def page(browser, served):
    """The page, freshly loaded in Vietnamese; afterwards, only the server was asked and no
    policy was broken."""
    browser.requests()
    browser.driver.get_log("browser")
    browser.driver.get(local(served.url) + "/?lang=vi")
    wait_state(browser, {"idle"})
    yield browser
    hosts = {urlparse(u).hostname for u in browser.requests() if u.startswith(("http:", "https:", "ws"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    broken = [m for m in browser.driver.get_log("browser") if "Content Security Policy" in m["message"]]
    assert not broken, broken


def local(url: str) -> str:
    """The browser resolves only ``localhost`` (every other name, IP literals included, fails)."""
    return url.replace("127.0.0.1", "localhost")


def wait_state(b: Browser, states: set[str], timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while True:
        s = b.js("return document.body && document.body.dataset.state")
        if s in states:
            return s
        if time.monotonic() > deadline:
            raise TimeoutError(f"page state {s!r}, waited for {states}")
        time.sleep(0.05)


def search(b: Browser, text: str, on: str = "") -> str:
    b.js("document.getElementById('q').value = arguments[0]", text)
    b.js("document.getElementById('on').value = arguments[0]", on)
    b.js("document.body.dataset.state = 'typing'")
    b.driver.find_element("id", "go").click()
    return wait_state(b, {"ready", "error"})


def texts(b: Browser, selector: str) -> list[str]:
    return b.js("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)", selector)


def test_vietnamese_by_default_with_an_english_switch(page):
    assert page.js("return document.documentElement.lang") == "vi"
    assert page.js("return document.querySelector('h1').textContent") == "Tra cứu sắp xếp đơn vị hành chính 2025"
    page.driver.find_element("id", "lang").click()
    assert page.js("return document.documentElement.lang") == "en"
    assert page.js("return document.querySelector('h1').textContent") == "Vietnam's 2025 administrative reorganisation"
    assert page.js("return document.getElementById('go').textContent") == "Search"
    page.driver.find_element("id", "lang").click()
    assert page.js("return document.getElementById('go').textContent") == "Tra cứu"


def test_every_word_of_the_page_switches_with_the_catalogue(page):
    """Each element the page labels (data-t) reads the catalogue's Vietnamese, then the
    English after the switch, and back."""
    from orgraph.graph.i18n import catalogue
    from orgraph.server.page import PAGE_WORDS

    vi = catalogue("vi")
    shown = "return [...document.querySelectorAll('[data-t]')].map(e => [e.dataset.t, e.textContent])"
    assert [w for k, w in page.js(shown)] == [vi[PAGE_WORDS[k]] for k, _ in page.js(shown)]
    assert page.js("return document.getElementById('q').placeholder") == vi[PAGE_WORDS["q_placeholder"]]
    page.driver.find_element("id", "lang").click()
    assert [w for k, w in page.js(shown)] == [PAGE_WORDS[k] for k, _ in page.js(shown)]
    page.driver.find_element("id", "lang").click()
    assert [w for k, w in page.js(shown)] == [vi[PAGE_WORDS[k]] for k, _ in page.js(shown)]


@pytest.mark.parametrize("typed", ["p. dien bien, q. ba dinh", "Phường Điện Biên, Ba Đình, Hà Nội", "00019"])
def test_search_by_name_shows_the_answer_with_its_legal_basis(page, G, typed):
    assert search(page, typed, "2025-07-01") == "ready"
    uid = orgraph.resolve(G, typed)
    want = orgraph.successors(G, uid, on=AFTER)
    assert page.js("return document.getElementById('answer').dataset.unit") == uid
    assert texts(page, "[data-direction=successors] .succ .name") == [x.unit.name for x in want.units]
    bases = {h.basis for x in want.units for h in x.path if h.basis}
    assert bases and all(any(b in t for t in texts(page, "[data-direction=successors] .basis")) for b in bases)
    assert want.message in texts(page, "[data-direction=successors] .status")


def test_ambiguous_name_lists_every_unit_to_choose_from(page, G):
    assert search(page, "Minh Khai") == "ready"
    want = find(G, "Minh Khai")
    ids = page.js("return [...document.querySelectorAll('#hit-list button')].map(b => b.dataset.id)")
    assert ids == [u.id for u in want]
    page.driver.find_element("css selector", f"#hit-list button[data-id='{want[-1].id}']").click()
    wait_state(page, {"ready"})
    assert page.js("return document.getElementById('answer').dataset.unit") == want[-1].id


def test_unknown_name_shows_the_suggestions(page, G):
    assert search(page, "Xã Minh Khaiqq") == "error"
    err = page.js("return document.getElementById('error').textContent")
    assert err.startswith("no unit matches")
    shown = texts(page, "#suggestions li")[1:]
    assert shown == orgraph.queries.suggestions(G, "Xã Minh Khaiqq")


def test_hostile_input_is_shown_as_text(page):
    search(page, PAYLOAD)
    assert PAYLOAD in page.js("return document.getElementById('error').textContent")
    assert page.js("return document.querySelectorAll('img').length") == 0
    assert page.js("return typeof window.__pwned") == "undefined"


def test_search_by_body(page):
    from orgraph.loaders.dataset import load_graph

    name = "Ban Tổ chức Tỉnh ủy Thái Bình"
    H = load_graph(names=[name])  # the graph the command line answers a body's name from
    assert find(H, name)
    assert search(page, name, "2025-07-01") == "ready"
    want = orgraph.successors(H, name, on=AFTER)
    assert want.units
    assert texts(page, "[data-direction=successors] .succ .name") == [x.unit.name for x in want.units]


def test_search_by_a_whole_old_address(page, G):
    import inspect

    if "address" not in inspect.signature(orgraph.convert).parameters:
        pytest.skip("free-text addresses are not in this version's convert (issue 8)")
    address = "thon 3 xa minh khai huyen hung ha thai binh"
    assert search(page, address, "2025-07-01") == "ready"
    want = orgraph.convert(G, address=address, on=AFTER, as_of=BEFORE)
    assert page.js("return document.getElementById('answer').dataset.status") == want.status
    shown = page.js("return document.getElementById('answer').textContent")
    assert want.new_commune in shown and want.new_province in shown and want.legal_basis in shown


def test_the_lineage_picture_opens(page, G):
    pytest.importorskip("pyvis")
    from orgraph.viz import unit_picture

    assert search(page, "Phường Điện Biên, Ba Đình, Hà Nội") == "ready"
    page.driver.find_element("id", "show-picture").click()
    frame = page.driver.find_element("id", "picture")
    page.driver.switch_to.frame(frame)
    try:
        deadline = time.monotonic() + 60
        while not page.js("return !!(window.orgraph && window.orgraph.ready)"):
            assert time.monotonic() < deadline, "the picture did not draw"
            time.sleep(0.05)
        pic = unit_picture(G, orgraph.resolve(G, "Phường Điện Biên, Ba Đình, Hà Nội", chain_ok=True))
        assert page.js("return window.orgraph.nodes.length") == len(pic.nodes)
    finally:
        page.driver.switch_to.default_content()
    assert png_stats(page.screenshot())["colours"] > 40


def test_upload_a_csv(page, G, tmp_path):
    src, dst = tmp_path / "old.csv", tmp_path / "new.csv"
    rows = [
        ["tinh", "huyen", "xa"],
        ["Thái Bình", "Hưng Hà", "Minh Khai"],
        ["ha noi", "ba dinh", "dien bien"],
        ["", "", "Minh Khai"],
        ["Nowhere", "", "Zzqx"],
        ["Hồ Chí Minh", "Quận 1", "Bến Nghé"],
    ]
    with src.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    counts = convert_csv(G, src, dst, on=AFTER, as_of=BEFORE)
    with dst.open(encoding="utf-8", newline="") as f:
        want = list(csv.reader(f))
    page.js("document.getElementById('on').value = '2025-07-01'")
    page.driver.find_element("id", "file").send_keys(str(src))
    page.driver.find_element("id", "convert-go").click()
    assert wait_state(page, {"converted", "error"}) == "converted"
    summary = page.js("return document.getElementById('convert-summary').dataset")
    assert int(summary["rows"]) == len(rows) - 1
    import json

    assert json.loads(summary["counts"]) == counts
    table = page.js(
        "return [...document.querySelectorAll('#convert-preview tr')].map(r => [...r.cells].map(c => c.textContent))"
    )
    assert table == want
    assert page.js("return document.getElementById('convert-download').href").startswith("blob:")


def test_openapi_page_is_served_from_the_server(browser, served):
    browser.requests()
    browser.driver.get(local(served.url) + "/docs")
    deadline = time.monotonic() + 60
    while browser.js("return document.querySelectorAll('.opblock').length") < 10:
        assert time.monotonic() < deadline, "Swagger UI did not draw the operations"
        time.sleep(0.1)
    hosts = {urlparse(u).hostname for u in browser.requests() if u.startswith(("http:", "https:"))}
    assert hosts <= {"127.0.0.1", "localhost"}, hosts
    assert not [m for m in browser.driver.get_log("browser") if "Content Security Policy" in m["message"]]

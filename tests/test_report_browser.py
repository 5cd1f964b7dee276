"""The HTML weekly report in a real browser (headless Chromium): it opens from disk with no
request beyond the file, shows its tables, and a note carrying an HTML/JS payload is shown as
text while nothing runs.

Without Chromium these tests skip, unless ``ORGRAPH_REQUIRE_BROWSER=1`` (CI).
"""

from __future__ import annotations

import os
from datetime import date

import pytest
from browser import Browser, find_chromium, png_stats

pytestmark = pytest.mark.browser

PAYLOAD = (
    '</td></tr></table><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> đã gửi & <b>xong</b>'
)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    if find_chromium() is None:
        if os.environ.get("ORGRAPH_REQUIRE_BROWSER") == "1":
            pytest.fail("ORGRAPH_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed")
        pytest.skip("chromium/chromedriver are not installed")
    from orgraph.loaders.plans import load_full
    from orgraph.loaders.progress import ProgressRow
    from orgraph.queries.progress import check_records
    from orgraph.queries.report import weekly_report
    from orgraph.viz.report import write_report

    G = load_full()
    row = ProgressRow(
        task="47-KH/BCĐ:III.1(6)-1",
        status="hoàn thành",
        date=date(2025, 8, 6),
        body="Tỉnh ủy Hưng Yên",
        reference="Báo cáo số <i>15</i>-BC/TU",
        note=PAYLOAD,
        file="p.csv",
        row=2,
    )
    r = weekly_report(G, check_records(G, [row]), plan="47-KH/BCĐ", body="Tỉnh ủy Hưng Yên", week_of=date(2025, 8, 4))
    path = tmp_path_factory.mktemp("report") / "bao_cao.html"
    write_report(r, path)
    b = Browser.start(width=1400, height=900)
    try:
        b.requests()
        b.driver.get(path.resolve().as_uri())
        facts = b.js(
            "return {pwned: typeof window.__pwned, scripts: document.querySelectorAll('script').length,"
            " imgs: document.querySelectorAll('img').length, tables: document.querySelectorAll('table').length,"
            " cells: Array.from(document.querySelectorAll('td')).map(function (t) { return t.textContent; }),"
            " h1: document.querySelector('h1').textContent,"
            " csp: document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content}"
        )
        yield r, path, facts, b.requests(), b.screenshot(), b.console_errors()
    finally:
        b.close()


def test_payload_in_a_note_is_shown_as_text_and_nothing_runs(page):
    _r, _path, facts, *_ = page
    assert facts["pwned"] == "undefined"
    assert facts["scripts"] == 0 and facts["imgs"] == 0
    assert PAYLOAD in facts["cells"]
    assert "Báo cáo số <i>15</i>-BC/TU" in facts["cells"]
    assert "default-src 'none'" in facts["csp"]


def test_report_opens_offline_with_its_tables(page):
    r, path, facts, requests, png, errors = page
    assert facts["h1"] == "BÁO CÁO TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH SỐ 47-KH/BCĐ"
    assert facts["tables"] == 5  # reporting line, tasks, this week, late, next week
    assert "Ban Chỉ đạo Trung ương về tổng kết Nghị quyết 18" in facts["cells"]
    mine = [u for u in requests if not u.startswith("chrome://")]
    assert path.resolve().as_uri() in mine
    assert all(u.split(":", 1)[0] in ("file", "data") for u in mine), mine  # nothing left the machine
    assert [u for u in mine if u.startswith("file:")] == [path.resolve().as_uri()]
    assert errors == []
    stats = png_stats(png)
    assert stats["colours"] > 10 and stats["variance"] > 100, stats

"""Static files under content-hashed URLs: a new version of a file is a new URL, every page
names each file it loads so, the current URL is kept for a year, anything else is checked, and
pages themselves are never kept."""

import re
from urllib.parse import parse_qs, urlsplit

from app.assets import CHECKED, KEPT, Assets
from tests.support.clients import join
from tests.support.html import elements

WRITING = "u4-plan-writing"


def test_changing_a_file_changes_its_url(tmp_path):
    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "live.js"
    script.write_bytes(b"console.log(1);")
    before = Assets({"/static": tmp_path}).url("/static/js/live.js")
    assert re.fullmatch(r"/static/js/live\.js\?v=[0-9a-f]{12}", before)
    assert Assets({"/static": tmp_path}).url("/static/js/live.js") == before  # the same bytes, the same URL
    script.write_bytes(b"console.log(2);")
    assert Assets({"/static": tmp_path}).url("/static/js/live.js") != before


def referenced(html: str) -> list[str]:
    """Every URL a page loads from this server: styles, scripts, pictures."""
    found = [e.attrs.get("href", "") for e in elements(html, "link")]
    found += [e.attrs.get("src", "") for e in elements(html, "script")]
    found += [e.attrs.get("src", "") for e in elements(html, "img")]
    return [url for url in found if url.startswith("/")]


def test_every_page_names_its_assets_by_their_hash(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "小明")
    assert phone.post(f"/play/{code}/plans", data={"customer": "ZL"}).status_code == 200
    take_home = phone.get(f"/play/{code}/report").url.path
    pages = {
        trainer: ["/login", "/control", f"/control/{session_id}", f"/screen/{session_id}", "/account"],
        phone: [
            "/join",
            f"/j/{code}",
            f"/play/{code}",
            f"/play/{code}/mine",
            f"/play/{code}/plans/ZL",
            take_home,
        ],
    }
    seen = set()
    for browser, paths in pages.items():
        for path in [*paths, "/no-such-page"]:
            page = browser.get(path)
            assert page.headers["cache-control"] == "no-store", path
            for url in referenced(page.text):
                assert app.state.assets.url(urlsplit(url).path) == url, (path, url)
                seen.add(url)
    assert {"/static/kinds/plan/plan.js", "/static/kinds/case/case.js", "/static/js/takehome.js"} <= {
        urlsplit(url).path for url in seen
    }
    for url in seen:
        answer = trainer.get(url)
        assert answer.status_code == 200 and answer.headers["cache-control"] == KEPT, url


def test_a_file_asked_for_without_its_current_hash_is_checked_every_time(client):
    current = client.app.state.assets.url("/static/js/live.js")
    old = re.sub(r"v=\w+", "v=0123456789ab", current)
    for url in ("/static/js/live.js", old, current + "&v=0123456789ab"):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["cache-control"] == CHECKED, url
    assert parse_qs(urlsplit(current).query)["v"] == [client.app.state.assets.hashes["/static/js/live.js"]]
    assert client.get("/static/js/nothing.js?v=0123456789ab").status_code == 404

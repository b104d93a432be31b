"""The take-home report behind a signed link: it opens in any browser without the seat's cookie
(WeChat hands the address to the phone's browser, or the trainee to a computer), for a limited
time; a damaged or old link is told as such; inside WeChat the page says how to keep the report;
the report as a web page shows the same document as the download, escaped."""

import re
import time

import pytest
from fastapi.testclient import TestClient

from app.exports import erase, links
from tests.support.html import elements, one
from tests.support.i18n import t
from tests.test_exports import built, day, docx_text  # noqa: F401 (the day the exports test builds)

WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2219A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240301 MicroMessenger/8.0.48"
)
NAUGHTY = "<img src=x onerror=alert(1)>"


@pytest.fixture
def signed(app, trainer, live, course, db):
    """A trainee with a naughty name (longer than joining takes: set afterwards) and a day
    behind them; the signed link their phone got."""
    session_id, code = live
    people, phones = day(app, trainer, session_id, code, course, db, names=("小明", "李娜"))
    people[0].display_name = NAUGHTY
    db.add(people[0])
    db.commit()
    to = phones[0].get(f"/play/{code}/report", follow_redirects=False)
    assert to.status_code == 303 and to.headers["location"].startswith("/take-home/")
    return to.headers["location"], phones[0]


def test_the_signed_link_opens_without_the_seat(app, signed):
    link, _ = signed
    elsewhere = TestClient(app)  # another browser: no cookie at all
    page = elsewhere.get(link)
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    assert t("takehome.title") in page.text and t("takehome.wechat.title") not in page.text
    document = elsewhere.get(f"{link}/report.docx")
    assert document.status_code == 200 and document.headers["cache-control"] == "no-store"
    assert NAUGHTY in docx_text(document.content)
    assert f'href="{link}/report.docx"' in page.text  # a plain link, never a blob


def test_the_old_download_address_leads_to_the_signed_document(app, signed, live):
    _, phone = signed
    _, code = live
    to = phone.get(f"/play/{code}/report.docx", follow_redirects=False)
    assert to.status_code == 303 and re.fullmatch(r"/take-home/[\w.-]+/report\.docx", to.headers["location"])
    assert NAUGHTY in docx_text(TestClient(app).get(to.headers["location"]).content)


def test_the_page_escapes_what_a_trainee_typed(app, signed):
    link, _ = signed
    html = TestClient(app).get(link).text
    assert NAUGHTY in one(html, "article.th-report").text  # shown as text …
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    pictures = [img.attrs["src"] for img in elements(html, "img")]  # … never as a tag
    assert pictures and all(src.startswith("data:image/png;base64,") for src in pictures)  # the bars


def test_wechat_is_told_how_to_keep_the_report(app, signed):
    link, _ = signed
    wechat = TestClient(app, headers={"User-Agent": WECHAT})
    page = wechat.get(link)
    assert page.status_code == 200
    for key in ("takehome.wechat.title", "takehome.wechat.step_menu", "takehome.wechat.step_browser"):
        assert t(key) in page.text
    assert t("takehome.copy") in page.text and "<svg" in page.text  # copy the link, or scan it
    assert f'value="http://testserver{link}"' in page.text  # the link it copies opens anywhere
    assert "/report.docx" not in page.text  # no download WeChat would drop


def test_an_expired_link_is_refused_with_a_clear_page(app, signed, monkeypatch):
    link, _ = signed
    later = time.time() + links.LIFETIME_HOURS * 3600 + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    for path in (link, f"{link}/report.docx"):
        page = TestClient(app).get(path)
        assert page.status_code == 410
        assert t("takehome.error.expired", hours=links.LIFETIME_HOURS) in page.text


def test_a_damaged_link_is_refused_with_a_clear_page(app, signed):
    link, _ = signed
    token = link.rsplit("/", 1)[1]
    session_part, rest = token.split("-", 1)
    damaged = [
        f"/take-home/{token[:-2]}",
        f"/take-home/{int(session_part) + 1}-{rest}",  # someone else's seat, the signature kept
        "/take-home/nothing-at-all",
        f"/take-home/{links.sign('another secret', 1, 1)}",
    ]
    for path in damaged:
        for suffix in ("", "/report.docx"):
            page = TestClient(app).get(path + suffix)
            assert page.status_code == 404, path
            assert t("takehome.error.invalid") in page.text


def test_a_link_to_an_erased_trainee_opens_nothing(app, signed, live, db):
    link, _ = signed
    erase.erase_personal_data(db, live[0])
    page = TestClient(app).get(link)
    assert page.status_code == 404 and t("takehome.error.gone") in page.text


def test_trainees_reach_the_report_from_their_results(signed, live):
    _, phone = signed
    _, code = live
    assert f'href="/play/{code}/report"' in phone.get(f"/play/{code}/mine").text
    assert TestClient(phone.app).get(f"/play/{code}/report", follow_redirects=False).headers["location"] == (
        f"/j/{code}"
    )

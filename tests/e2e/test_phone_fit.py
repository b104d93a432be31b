"""A phone at 360×740: once points show after a quiz's reveal, the header is still one line
(name, team, points, ⋯), with a long name too; a name too long to join is told, never cut."""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import PHONE, open_room

pytestmark = pytest.mark.e2e
QUIZ = "u1-quiz"
LONG_NAME = "Alexandra Konstantinova"  # 23 characters: near the longest a name may be


def header_is_one_line(page: Page) -> None:
    """Every part of the header (name, team, points, ⋯) sits on the first part's line."""
    tops = page.locator("#play-me > *").evaluate_all(
        "parts => parts.filter(p => p.getClientRects().length).map(p => p.getBoundingClientRect())"
        ".map(b => [b.top, b.bottom])"
    )
    middle = [(top + bottom) / 2 for top, bottom in tops]
    assert max(middle) - min(middle) < 12, tops  # one row: their middles line up
    assert page.locator("#play-me").bounding_box()["height"] < 64


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_after_a_reveal_the_header_with_points_stays_one_line(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, [LONG_NAME, "李强"])
    phone = room.phones[LONG_NAME]
    room.teams(2)
    # The quiz's first question has the longest options; the right one gives points.
    room.go(QUIZ)
    room.control.get_by_role("button", name=room.t("quiz.start")).click()
    phone.locator('button.choice[value="tend"]').click()
    expect(phone.locator(".saved")).to_be_visible()
    room.control.get_by_role("button", name=room.t("quiz.reveal")).click()
    expect(phone.locator(".verdict")).to_contain_text(room.t("quiz.you_right"))
    expect(phone.locator(".me-points")).to_be_visible()
    phone.screenshot(path=shots / f"{lang}-play-quiz-revealed-long.png", full_page=True)
    header_is_one_line(phone)
    team = phone.locator(".me-team")
    expect(team).to_have_text(room.t("play.team_is", name=room.t("team.default_name", n=1)))
    assert team.evaluate("e => e.scrollWidth <= e.clientWidth"), "the team's name is cut"
    room.close()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_name_too_long_is_told_with_the_limit_not_cut(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, [])
    phone = browser.new_context(**{**PHONE, "locale": lang}).new_page()
    phone.context.add_cookies([{"name": "lang", "value": lang, "url": server.url}])
    phone.goto(f"{server.url}/join")
    expect(phone.locator("#name-hint")).to_have_text(room.t("join.name_hint", max=24))
    long_name = "Maximiliane Josephine Oldenburg"  # 31 characters
    phone.fill("input[name=code]", room.code)
    phone.locator("#join-form input[name=name]").press_sequentially(long_name)  # typed, as a person does
    phone.get_by_role("button", name=room.t("join.submit"), exact=True).click()
    expect(phone.get_by_role("alert")).to_have_text(room.t("join.error.name_long", max=24))
    expect(phone.locator("#join-form input[name=name]")).to_have_value(long_name)  # nothing lost
    phone.screenshot(path=shots / f"{lang}-join-name-too-long.png", full_page=True)
    phone.context.close()
    room.close()

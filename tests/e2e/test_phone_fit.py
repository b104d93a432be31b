"""What a phone at 360×740 shows fits it: once points show after a quiz's reveal, the header is
still one line (name, team, points, ⋯), with a long name too."""

import pytest
from playwright.sync_api import Page, expect

from tests.support.browser import open_room

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
    expect(phone.locator(".me-team")).to_have_text(room.t("team.default_name", n=1))  # whole
    room.close()

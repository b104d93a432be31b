"""The whole sample day in the browser, as people see it: for every activity in every phase, a
phone at 360×740 never scrolls sideways and every control on it is big enough to tap, and the
projector at 1920×1080 never scrolls sideways, cuts nothing off and shows no text under 32 px;
in both languages."""

import pytest
from playwright.sync_api import Page, expect

from app.config import ROOT
from app.course.loader import load_courses
from app.kinds import KINDS
from tests.support.browser import open_room, phone_problems, screen_problems


def shown(page: Page, activity: str, phase: str) -> None:
    stage = page.locator("#play-stage, #screen-stage")
    expect(stage).to_have_attribute("data-activity", activity)
    expect(stage).to_have_attribute("data-phase", phase)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_view_of_the_day_fits_a_phone_and_the_projector(server, browser, lang):
    course = load_courses(ROOT / "content", KINDS)["kam"]
    room = open_room(browser, server.url, lang, ["王芳"])
    phone = room.phones["王芳"]
    problems = []
    try:
        next_button = room.control.get_by_role("button", name=room.t("control.next") + " ▶", exact=True)
        for activity in course.activities:  # the day in order, as a facilitator steps through it
            next_button.click()
            current = room.control.locator(f'.agenda li.current [data-activity="{activity.id}"]')
            expect(current).to_be_attached()
            for index, phase in enumerate(KINDS.get(activity.kind).phases):
                if index:
                    room.control.locator(".phases button").nth(index).click()
                for view, page, probe in (
                    ("phone", phone, phone_problems),
                    ("screen", room.screen, screen_problems),
                ):
                    shown(page, activity.id, phase)
                    problems += [f"{activity.id} [{phase}] {view}: {p}" for p in probe(page)]
    finally:
        room.close()
    assert not problems, "\n".join(problems)

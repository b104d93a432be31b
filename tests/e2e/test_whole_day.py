"""The whole sample day in the browser, as people see it: for every activity in every phase, a
phone at 360×740 never scrolls sideways and every control on it is big enough to tap, and the
projector at 1920×1080 never scrolls sideways; in both languages."""

import pytest
from playwright.sync_api import Page, expect

from app.config import ROOT
from app.course.loader import load_courses
from app.modules import registry
from tests.e2e.room import open_room

# What a phone shows that is too wide or too small to tap (WCAG's 44 px, less a rounding pixel).
PHONE_PROBLEMS = """() => {
  const problems = [];
  if (document.documentElement.scrollWidth > window.innerWidth)
    problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const controls = ['button', 'select', 'summary', 'input:not([type=hidden])', 'textarea']
    .map(tag => '#play-stage ' + tag).join(', ');
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // not shown
    const target = el.closest('label') || el;  // a radio's target is its label
    if (target.getBoundingClientRect().height < 43)
      problems.push('small target: ' + (el.textContent || el.name || el.className).trim().slice(0, 30)
                    + ' ' + Math.round(target.getBoundingClientRect().height) + 'px');
  }
  return problems;
}"""
SCREEN_PROBLEMS = """() => document.documentElement.scrollWidth > window.innerWidth
  ? ['scrolls sideways: ' + document.documentElement.scrollWidth + 'px'] : []"""


def shown(page: Page, activity: str, phase: str) -> None:
    stage = page.locator("#play-stage, #screen-stage")
    expect(stage).to_have_attribute("data-activity", activity)
    expect(stage).to_have_attribute("data-phase", phase)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_view_of_the_day_fits_a_phone_and_the_projector(server, browser, lang):
    course = load_courses(ROOT / "content")["kam"]
    room = open_room(browser, server.url, lang, ["王芳"])
    phone = room.phones["王芳"]
    problems = []
    try:
        for activity in course.activities:
            room.control.locator(f'.agenda-item[data-activity="{activity.id}"]').click()
            for index, phase in enumerate(registry.get(activity.kind).phases):
                if index:
                    room.control.locator(".phases button").nth(index).click()
                for page, probe in ((phone, PHONE_PROBLEMS), (room.screen, SCREEN_PROBLEMS)):
                    shown(page, activity.id, phase)
                    view = "phone" if page is phone else "screen"
                    problems += [f"{activity.id} [{phase}] {view}: {p}" for p in page.evaluate(probe)]
    finally:
        room.close()
    assert not problems, "\n".join(problems)

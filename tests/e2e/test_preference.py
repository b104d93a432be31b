"""The thinking-preference questionnaire and a customer reading with a facilitator, the projector
and three phones, in a real browser; one phone reloads midway and resumes where it was."""

import pytest
from playwright.sync_api import Page, expect

from app.config import ROOT
from app.course.loader import load_courses
from app.i18n import translate
from app.kinds import KINDS
from tests.support.browser import on_activity, open_room

pytestmark = pytest.mark.e2e
PREF, READ = "u3-preference-questionnaire", "u3-reading-preference"


def answer(page: Page, config, first: str, t, start: int = 0, stop: int | None = None) -> None:
    """Answer questions start..stop: `first` on top of every block, "agree" to every statement."""
    total = len(config.questions)
    for number, question in enumerate(config.questions[start:stop], start + 1):
        expect(page.locator(".pref-progress")).to_have_text(t("preference.progress", n=number, total=total))
        if hasattr(question, "options"):
            shown = page.locator("button.rank-item").evaluate_all("bs => bs.map(b => b.dataset.item)")
            for style in [first, *[s for s in shown if s != first]]:
                page.locator(f'button.rank-item[data-item="{style}"]').click()
            page.locator(".pref-block button[type=submit]").click()
        else:
            page.locator('.agree-scale button[value="4"]').click()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_questionnaire_room_map_and_customer_reading(server, browser, shots, lang):
    def t(key, **values):
        return translate(lang, key, **values)

    course = load_courses(ROOT / "content", KINDS)["kam"]
    config = course.activity(PREF).config
    room = open_room(browser, server.url, lang, ["王芳", "李强", "Chen Jing"])
    control, screen = room.control, room.screen
    room.teams(2)
    firsts = {"王芳": "data", "李强": "people", "Chen Jing": "vision"}
    phones = [(page.context, page, firsts[name]) for name, page in room.phones.items()]
    control.locator(f'.agenda-item[data-activity="{PREF}"]').click()
    for _, page, _ in phones:
        on_activity(page, PREF)
        page.wait_for_function("() => window.rankingTaps")
    wang, li, chen = (page for _, page, _ in phones)
    wang.screenshot(path=shots / f"{lang}-play-preference-block.png")
    answer(li, config, "people", t, stop=14)
    li.screenshot(path=shots / f"{lang}-play-preference-statement.png")
    li.reload()  # a refresh midway resumes at the same question
    on_activity(li, PREF)
    li.wait_for_function("() => window.rankingTaps")
    answer(li, config, "people", t, start=14)
    answer(wang, config, "data", t)
    answer(chen, config, "vision", t)
    for _, page, first in phones:
        profile = page.locator("#pref-profile")
        expect(profile.locator(".pref-chart")).to_be_visible()
        expect(profile.locator(".pref-top .style-tag").first).to_have_text(course.style(first).name.get(lang))
        expect(profile).to_contain_text(t("preference.level.often"))  # our own level names
        expect(profile).to_contain_text(t("preference.for_discussion"))
    wang.screenshot(path=shots / f"{lang}-play-preference-profile.png", full_page=True)

    expect(screen.locator(".respondents")).to_contain_text(t("preference.finished", n=3))
    expect(control.locator(".preference-control .respondents")).to_contain_text(t("preference.finished", n=3))
    control.get_by_role("button", name=t("preference.show_map")).click()
    bars = screen.locator(".pref-map li")
    expect(bars).to_have_count(4)
    for style in course.styles:
        expected = "1" if style.id in ("data", "people", "vision") else "0"
        row = bars.filter(has_text=style.name.get(lang))
        expect(row.locator(".bar-value")).to_have_text(expected)
    expect(screen.locator(".preference-screen")).to_contain_text(t("preference.for_discussion"))
    mix = screen.locator(".pref-teams tbody tr")
    expect(mix).to_have_count(2)  # each team's mix, anonymous
    expect(screen.locator(".pref-names")).to_have_count(0)
    control.get_by_role("button", name=t("preference.show_names")).click()
    expect(screen.locator(".pref-names")).to_have_count(3)
    expect(screen.locator(".pref-teams")).to_contain_text("Chen Jing")
    screen.screenshot(path=shots / f"{lang}-screen-preference-map.png")
    control.get_by_role("button", name=t("preference.propose_pairs")).click()
    expect(control.locator(".pref-groups li")).to_have_count(1)
    control.screenshot(path=shots / f"{lang}-control-preference.png", full_page=True)

    # Reading a customer: tick what was observed, get a hypothesis, keep it.
    control.locator(f'.agenda-item[data-activity="{READ}"]').click()
    on_activity(wang, READ)
    wang.locator("#cr-customer").fill("zl")
    cues = [c for g in course.activity(READ).config.groups for c in g.cues if c.style == "process"][:3]
    for cue in cues:
        wang.locator(f'input[name="cue"][value="{cue.id}"]').check()
    wang.get_by_role("button", name=t("customerread.submit")).click()
    reading = wang.locator(".cr-reading")
    expect(reading).to_contain_text(t("customerread.reading_for", customer="ZL"))
    expect(reading.locator(".cr-hypothesis .style-tag")).to_have_text(course.style("process").name.get(lang))
    expect(wang.locator(".cr-saved li")).to_have_count(1)
    wang.screenshot(path=shots / f"{lang}-play-customerread.png", full_page=True)
    expect(screen.locator(".respondents")).to_contain_text(t("customerread.room", people=1, customers=1))

    # Both results stay within reach for the rest of the day.
    wang.goto(f"{server.url}/play/{room.code}/mine")
    expect(wang.locator("#pref-profile .pref-chart")).to_be_visible()
    expect(wang.locator(".cr-saved")).to_contain_text("ZL")
    room.close()

"""A self-assessment and a ranking with a facilitator, the projector and three phones, in a real browser."""

import pytest
from playwright.sync_api import expect

from app.config import ROOT
from app.course.loader import load_courses
from app.i18n import translate
from app.kinds import KINDS
from app.modules.selfassessment import strengths
from tests.support.browser import on_activity, open_room

pytestmark = pytest.mark.e2e
SELF, RANKING = "u1-self-assessment", "u1-success-factors"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_self_assessment_profiles_and_ranking_averages(server, browser, shots, lang):
    def t(key, **values):
        return translate(lang, key, **values)

    course = load_courses(ROOT / "content", KINDS)["kam"]
    room = open_room(browser, server.url, lang, ["王芳", "李强", "Chen Jing"])
    control, screen, trainer = room.control, room.screen, room.trainer
    phones = [(page.context, page) for page in room.phones.values()]

    # The self-assessment: each phone rates every statement and then sees its own profile.
    config = course.activity(SELF).config
    control.locator(f'.agenda-item[data-activity="{SELF}"]').click()
    for number, (_, page) in enumerate(phones):
        on_activity(page, SELF)
        profile = {}
        for place, competency in enumerate(config.competencies):
            score = config.scale.scores[(number + place) % len(config.scale.scores)]
            profile[competency.id] = score
            for item in competency.items:
                form = page.locator("form.scale-rate", has=page.locator(f'input[value="{item.id}"]'))
                button = form.locator(f'button.score[value="{score}"]')
                button.click()
                expect(button).to_have_attribute("aria-pressed", "true")
        expect(page.locator("#sa-profile .sa-chart")).to_be_visible()
        best = [c.name.get(lang) for c in strengths(config, profile)]
        expect(page.locator("#sa-profile .sa-strengths li strong")).to_have_text(best)
    phones[0][1].locator("#sa-profile").screenshot(path=shots / f"{lang}-play-selfassessment.png")
    control.get_by_role("button", name=t("phase.revealed")).click()
    expect(screen.locator(".selfassessment .sa-chart")).to_be_visible()
    expect(screen.locator(".respondents")).to_contain_text(t("selfassessment.finished", n=3))
    screen.screenshot(path=shots / f"{lang}-screen-selfassessment.png")

    # The ranking: every phone puts the same item first, the rest in different orders.
    texts = {item.id: item.text.get(lang) for item in course.activity(RANKING).config.items}
    *rest, first = texts  # the last item in the content, first on every phone
    control.locator(f'.agenda-item[data-activity="{RANKING}"]').click()
    for number, (_, page) in enumerate(phones):
        on_activity(page, RANKING)
        page.wait_for_function("() => window.rankingTaps")  # a tap before ranking.js has loaded does nothing
        for item in [first, *rest[number:], *rest[:number]]:
            button = page.locator(f'button.rank-item[data-item="{item}"]')
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        page.get_by_role("button", name=t("ranking.submit")).click()
        expect(page.locator(".saved")).to_contain_text(t("ranking.answered"))
    phones[1][1].screenshot(path=shots / f"{lang}-play-ranking.png", full_page=True)
    expect(screen.locator(".respondents")).to_contain_text(t("ranking.respondents", n=3))
    control.get_by_role("button", name=t("phase.revealed")).click()
    rows = screen.locator(".rank-results li")
    expect(rows).to_have_count(len(texts))
    expect(rows.first).to_contain_text(texts[first])
    expect(rows.first.locator(".bar-value")).to_have_text(t("ranking.average", avg="1.0"))
    screen.screenshot(path=shots / f"{lang}-screen-ranking.png")
    for context, _ in phones:
        context.close()
    trainer.close()

"""A poll and a timed quiz with a facilitator, the projector and three phones, in a real browser."""

import pytest
from playwright.sync_api import expect

from app.config import ROOT
from app.course.loader import load_courses
from app.i18n import translate
from app.kinds import KINDS
from tests.support.browser import answer, on_activity, open_room

pytestmark = pytest.mark.e2e
POLL, CLOUD, QUIZ = "u1-warmup-poll", "u1-top-performers", "u1-quiz"


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_poll_word_cloud_and_timed_quiz_with_team_scores(server, browser, shots, lang):
    def t(key, **values):
        return translate(lang, key, **values)

    course = load_courses(ROOT / "content", KINDS)["kam"]
    quiz = course.activity(QUIZ).config
    room = open_room(browser, server.url, lang, ["王芳", "李强", "Chen Jing"])
    control, screen, trainer = room.control, room.screen, room.trainer
    phones = [(page.context, page) for page in room.phones.values()]
    control.fill("#balance-count", "3")
    control.locator("form.inline", has=control.locator("#balance-count")).locator("button").click()
    expect(phones[2][1].locator("#play-me")).to_contain_text(t("team.default_name", n=3))

    # The poll: answers hidden on the screen until the facilitator reveals them.
    control.locator(f'.agenda-item[data-activity="{POLL}"]').click()
    for (_, page), option in zip(phones, ("potential", "potential", "familiar"), strict=True):
        on_activity(page, POLL)
        page.locator(f'button.choice[value="{option}"]').click()
        expect(page.locator(f'button.choice[value="{option}"]')).to_have_attribute("aria-pressed", "true")
    expect(screen.locator(".respondents")).to_contain_text(t("poll.respondents", n=3))
    expect(screen.locator(".bar-value")).to_have_count(0)
    control.get_by_role("button", name=t("phase.revealed")).click()
    expect(screen.locator(".bar-value").nth(1)).to_contain_text("2 · 67%")
    phones[0][1].screenshot(path=shots / f"{lang}-play-poll-revealed.png")
    screen.screenshot(path=shots / f"{lang}-screen-poll-revealed.png")

    # The word cloud: the same word typed twice, in different widths, is one bigger word.
    control.locator(f'.agenda-item[data-activity="{CLOUD}"]').click()
    for (_, page), word in zip(phones, ("准备充分", "准备充分 ", "Listening"), strict=True):
        on_activity(page, CLOUD)
        page.locator(".entry-form input[name=text]").fill(word)
        page.locator(".entry-form button[type=submit]").click()
        expect(page.locator(".my-entries")).to_contain_text(word.strip())
    control.get_by_role("button", name=t("phase.revealed")).click()
    expect(screen.locator(".cloud-word", has_text="准备充分")).to_contain_text("2")
    expect(screen.locator(".cloud-word")).to_have_count(2)
    screen.screenshot(path=shots / f"{lang}-screen-wordcloud.png")

    # The quiz: two questions, one phone drops and answers after it reconnects.
    control.locator(f'.agenda-item[data-activity="{QUIZ}"]').click()
    for number, question in enumerate(quiz.questions[:2]):
        control.get_by_role("button", name=t("quiz.start")).click()
        for _, page in phones:
            expect(page.locator("h1")).to_contain_text(question.prompt.get(lang)[:8])
        answer(phones[0][1], question, right=True)
        answer(phones[1][1], question, right=False)
        late_context, late_page = phones[2]
        late_context.set_offline(True)
        expect(late_page.locator("#link-banner")).to_be_visible()
        late_context.set_offline(False)
        expect(late_page.locator("#link-banner")).to_be_hidden()
        answer(late_page, question, right=number == 0)
        expect(screen.locator(".respondents")).to_contain_text(t("quiz.answered_of", n=3, m=3))
        if number == 0:
            phones[0][1].screenshot(path=shots / f"{lang}-play-quiz-open.png")
            screen.screenshot(path=shots / f"{lang}-screen-quiz-open.png")
        control.get_by_role("button", name=t("quiz.reveal")).click()
        expect(phones[0][1].locator(".verdict")).to_contain_text(t("quiz.you_right"))
        expect(phones[1][1].locator(".verdict")).to_contain_text(t("quiz.you_wrong"))
        expect(screen.locator(".explanation")).to_contain_text(question.explanation.get(lang)[:8])
        if number == 0:
            control.get_by_role("button", name=t("quiz.next")).click()
    screen.screenshot(path=shots / f"{lang}-screen-quiz-revealed.png")
    control.screenshot(path=shots / f"{lang}-control-quiz.png")

    # Team scores: 王芳's team got both right, Chen Jing's one, 李强's none.
    ranks = screen.locator(".team-board li")
    expect(ranks).to_have_count(3)
    expect(ranks.nth(0)).to_contain_text(t("team.default_name", n=1))
    expect(ranks.nth(1)).to_contain_text(t("team.default_name", n=3))
    points = [float(text.split()[-1]) for text in ranks.all_inner_texts()]
    assert points[0] > points[1] > points[2] == 0
    expect(phones[0][1].locator(".me-points")).to_contain_text(t("play.points", n="", rank=1).strip())
    for context, _ in phones:
        context.close()
    trainer.close()

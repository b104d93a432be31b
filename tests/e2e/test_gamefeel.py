"""The feel of a game in a real browser: answer tiles that match on the phone and the projector,
a countdown bar, the room filling up, the reveal, the phone's verdict card and its buzz, names
popping into the lobby, and no motion at all for those who ask for less."""

import re

import pytest
from playwright.sync_api import Page, expect

from app.config import ROOT
from app.course.loader import load_courses
from app.kinds import KINDS
from tests.e2e.test_activities import answer
from tests.support.browser import Room, open_room, phone_problems, screen_problems

pytestmark = pytest.mark.e2e
POLL, QUIZ = "u1-warmup-poll", "u1-quiz"
# Every call to navigator.vibrate, kept where the test can read it.
RECORD_BUZZ = """Object.defineProperty(Navigator.prototype, 'vibrate', {configurable: true,
  value: function (pattern) { (window.buzzes = window.buzzes || []).push(pattern); return true; }});"""
WECHAT = (
    "Mozilla/5.0 (Linux; Android 12; Pixel 6) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36 MicroMessenger/8.0.40"
)
# The text of every element whose animation starts from now on.
STARTED = """() => { window.started = [];
  document.addEventListener('animationstart', e => window.started.push(e.target.textContent.trim())); }"""
RUNNING = "() => document.getAnimations().filter(a => a.playState === 'running').length"


def tiles(page: Page, scope: str) -> list[tuple[str, str]]:
    """Each tile's colour class and letter, in order."""
    return page.locator(f"{scope} .tile-mark").evaluate_all(
        "marks => marks.map(m => [[...m.classList].find(c => /^tile-\\d$/.test(c)), m.textContent.trim()])"
    )


def fits(screen: Page) -> bool:
    """Nothing on the projector is cut off or scrolls sideways, and its tiles read from the back
    row (≥ 32 px). (The probe's findings about the explanation's size and the footer's last
    pixels are older than the tiles.)"""
    footer = screen.locator(".screen-foot").inner_text()[:30]
    problems = [p for p in screen_problems(screen) if not p.startswith("small text") and footer not in p]
    sizes = screen.locator(".tiles > li").evaluate_all(
        "els => els.map(el => parseFloat(getComputedStyle(el).fontSize))"
    )
    assert problems == [] and sizes and min(sizes) >= 31.5, (problems, sizes)
    return True


def time_left(page: Page) -> float:
    """The share of the countdown's bar still left."""
    return float(page.locator(".timebar-fill").evaluate("el => el.style.getPropertyValue('--left')"))


def buzzes(page: Page) -> list:
    return page.evaluate("() => window.buzzes || []")


def phone_with_recorder(room: Room, browser, name: str, **options) -> Page:
    page = room.join(browser, name, **options)
    page.context.add_init_script(RECORD_BUZZ)
    page.reload()
    return page


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_tiles_countdown_reveal_and_verdict_cards(server, browser, shots, lang):
    course = load_courses(ROOT / "content", KINDS)["kam"]
    poll, quiz = course.activity(POLL).config, course.activity(QUIZ).config
    room = open_room(browser, server.url, lang, [])
    right = phone_with_recorder(room, browser, "王芳")
    wrong = phone_with_recorder(room, browser, "李强")
    calm = phone_with_recorder(room, browser, "Chen Jing", reduced_motion="reduce")
    wechat = phone_with_recorder(room, browser, "赵敏", user_agent=WECHAT)
    screen, t = room.screen, room.t
    room.teams(2)

    # A poll: the same tile (colour, shape, letter) for each option on the phone and the projector.
    room.go(POLL)
    letters = [chr(ord("A") + i) for i in range(len(poll.options))]
    expect(right.locator("button.choice.tile .tile-shape")).to_have_count(len(poll.options))
    on_phone = tiles(right, "#play-own")
    assert [letter for _, letter in on_phone] == letters
    assert tiles(screen, "#screen-stage") == on_phone
    assert len({tone for tone, _ in on_phone}) == min(6, len(letters))
    right.locator(f'button.choice[value="{poll.options[1].id}"]').click()
    saved = right.locator(".answer-card.saved")
    expect(saved).to_contain_text(t("answer.saved"))
    expect(saved).to_contain_text(f"B {poll.options[1].text.get(lang)}")
    right.screenshot(path=shots / f"{lang}-play-poll-saved.png")
    screen.screenshot(path=shots / f"{lang}-screen-poll-open.png")
    room.control.get_by_role("button", name=t("phase.revealed")).click()
    expect(screen.locator(".bars li.tile")).to_have_count(len(poll.options))
    screen.wait_for_timeout(900)  # the bars have grown
    screen.screenshot(path=shots / f"{lang}-screen-poll-revealed.png")

    # A quiz question: the countdown bar drains on both, the projector counts who has answered.
    room.go(QUIZ)
    for number, question in enumerate(quiz.questions[:2]):
        room.control.get_by_role("button", name=t("quiz.start")).click()
        expect(right.locator(".timebar-fill")).to_be_visible()
        left = time_left(right)
        expect(screen.locator(".timebar-fill")).to_be_visible()
        expect(screen.locator(".respondents")).to_contain_text(t("quiz.answered_of", n=0, m=4))
        right.wait_for_timeout(1100)
        assert time_left(right) < left
        assert tiles(right, "#play-own") == tiles(screen, "#screen-stage")
        if number == 0:
            right.screenshot(path=shots / f"{lang}-play-quiz-open.png")
            screen.screenshot(path=shots / f"{lang}-screen-quiz-open.png")  # looked at, even if it fails
            assert fits(screen) and phone_problems(right) == []
        answer(right, question, right=True)
        answer(wrong, question, right=False)
        answer(calm, question, right=False)
        answer(wechat, question, right=True)
        expect(screen.locator(".respondents")).to_contain_text(t("quiz.answered_of", n=4, m=4))
        expect(screen.locator(".answered-fill")).to_have_attribute("style", "width: 100%")
        if number == 0:
            right.screenshot(path=shots / f"{lang}-play-quiz-answered.png")
            screen.screenshot(path=shots / f"{lang}-screen-quiz-answered.png")

        # The reveal: the right tiles stay lit, the others fade; each phone gets its card.
        room.control.get_by_role("button", name=t("quiz.reveal")).click()
        count = len(question.options) if question.type != "truefalse" else 2
        expect(screen.locator(".quiz-options li.right")).to_have_count(len(question.right_answer))
        expect(screen.locator(".quiz-options li.faded")).to_have_count(count - len(question.right_answer))
        expect(screen.locator(".quiz-options .tile-fill")).to_have_count(count)
        expect(screen.locator(".quiz-board li .move")).to_have_count(2)  # rank changes, when any
        card = right.locator(".answer-card.right")
        expect(card).to_contain_text(t("quiz.you_right"))
        expect(card.locator(".answer-gained")).to_contain_text("+1")
        named = {option.id: option.text.get(lang) for option in question.options}
        first_right = named.get(question.right_answer[0], "")
        expect(wrong.locator(".answer-card.wrong .answer-right")).to_contain_text(first_right[:10])
        if number == 0:
            screen.wait_for_timeout(900)  # the tiles have faded, the bars grown
            room.control.set_viewport_size({"width": 1440, "height": 900})
            room.control.screenshot(path=shots / f"{lang}-control-quiz-revealed.png")
            right.screenshot(path=shots / f"{lang}-play-quiz-right.png")
            wrong.screenshot(path=shots / f"{lang}-play-quiz-wrong.png")
            screen.screenshot(path=shots / f"{lang}-screen-quiz-revealed.png")
            assert fits(screen)
            expect(right.locator(".answer-streak")).to_have_count(0)
            room.control.get_by_role("button", name=t("quiz.next")).click()
    expect(right.locator(".answer-streak")).to_contain_text(t("answer.streak", n=2))

    # One short buzz per verdict, none in WeChat or for a phone that asked for calm.
    assert buzzes(right) == [60, 60]
    assert buzzes(wrong) == [[40, 80, 40], [40, 80, 40]]
    assert buzzes(calm) == [] and buzzes(wechat) == []
    assert calm.evaluate(RUNNING) == 0
    room.close()


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_lobby_names_pop_in_once(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, ["王芳", "李强"])
    screen = room.screen
    expect(screen.locator(".names li")).to_have_count(2)
    screen.wait_for_timeout(700)  # the entrances of the first page are over
    screen.evaluate(STARTED)
    room.join(browser, "Chen Jing")
    expect(screen.locator(".names li", has_text="Chen Jing")).to_be_visible()
    # The new name plays its entrance, and so does the count; the names already there do not.
    screen.wait_for_function("() => window.started.includes('Chen Jing')")
    started = screen.evaluate("() => window.started")
    assert "王芳" not in started and "李强" not in started
    assert room.t("screen.joined", n=3) in started
    expect(screen.locator(".names li", has_text="王芳")).to_have_class(re.compile(r"\bseen\b"))
    expect(screen.locator(".lobby-count")).to_contain_text(room.t("screen.joined", n=3))
    screen.wait_for_timeout(600)
    screen.screenshot(path=shots / f"{lang}-screen-lobby-names.png")
    room.close()


def test_reduced_motion_leaves_no_animation(server, browser):
    """A projector and a phone that prefer reduced motion: through a countdown and a reveal,
    nothing animates at all (a phone without the preference does)."""
    room = open_room(browser, server.url, "zh-CN", [])
    room.screen.emulate_media(reduced_motion="reduce")
    calm = room.join(browser, "王芳", reduced_motion="reduce")
    lively = room.join(browser, "李强")
    room.go(QUIZ)
    room.control.get_by_role("button", name=room.t("quiz.start")).click()
    expect(calm.locator(".timebar-fill")).to_be_visible()
    expect(room.screen.locator(".timebar-fill")).to_be_visible()
    lively.wait_for_timeout(600)
    assert lively.evaluate("() => document.getAnimations().length") > 0
    for page in (calm, room.screen):
        assert page.evaluate("() => document.getAnimations().length") == 0
    lively.locator("button.choice").first.click()
    room.control.get_by_role("button", name=room.t("quiz.reveal")).click()
    expect(calm.locator(".answer-card.none")).to_be_visible()
    expect(room.screen.locator(".quiz-options li.faded").first).to_be_visible()
    for page in (calm, room.screen):
        assert page.evaluate("() => document.getAnimations().length") == 0
    room.close()

"""The team games in a real browser: a facilitator, the projector and two teams of two phones play
two rounds of Preference Detective, a round of the Adoption Ladder and one quarter of the
Territory Challenge. Teammates see each
other's allocation edits live, and one phone drops off the network mid-quarter and comes back."""

import pytest
from playwright.sync_api import Page, expect

from app.config import ROOT
from app.course.loader import load_courses
from app.kinds import KINDS
from tests.support.browser import Room, open_room

pytestmark = pytest.mark.e2e
DETECTIVE, LADDER, CHALLENGE = "u3-game-detective", "u3-game-ladder", "u4-game-territory"
COURSE = load_courses(ROOT / "content", KINDS)["kam"]
CONFIGS = {a.id: a.config for a in COURSE.activities}
SCENES, CASES = CONFIGS[DETECTIVE].scenes, CONFIGS[LADDER].cases


def step(room: Room, name: str) -> None:
    """Click a game step until the controls move on: a click that lands while an update is
    replacing the button is lost, as a person's would be (they click again; a step taken twice
    is refused by the game's round check)."""
    button = room.control.locator(f'.game-controls button[data-step="{name}"]')
    for _ in range(3):
        button.click()
        try:
            expect(button).to_have_count(0, timeout=5000)  # the controls moved on
            return
        except AssertionError:
            continue
    expect(button).to_have_count(0)


def answer(page: Page, style: str, message: str) -> None:
    page.locator(f'.style-choice[data-style="{style}"]').click()
    expect(page.locator(f'.style-choice[data-style="{style}"]')).to_have_attribute("aria-pressed", "true")
    chosen = page.locator(f'.message-choice[data-message="{message}"]')
    chosen.click()
    expect(chosen).to_have_attribute("aria-pressed", "true")


def customer(page: Page, card: str):
    line = page.locator(f"#ch-{card}")
    if line.get_attribute("open") is None:
        line.locator("summary").click()
    return line


def stepper(page: Page, card: str, resource: str):
    return customer(page, card).locator(f'.ch-stepper[data-resource="{resource}"]')


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_two_teams_play_detective_and_a_quarter_of_the_territory_challenge(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, ["A1", "B1", "A2", "B2"])
    t, control, screen, phones = room.t, room.control, room.screen, room.phones
    a1, a2, b1, b2 = (phones[n] for n in ("A1", "A2", "B1", "B2"))
    room.teams(2)  # dealt round-robin: A1, A2 | B1, B2; A1 and B1 are the captains
    room.go(DETECTIVE)
    expect(a1.locator(".game-detective")).to_contain_text(t("game.wait_start"))

    # Two rounds of Preference Detective: team A right, team B half right.
    for index in range(2):
        scene = SCENES[index]
        wrong = next(m for m in scene.messages if m.fits not in (scene.style, scene.also))
        step(room, "start")
        expect(screen.locator(".scene blockquote")).to_have_text(scene.says.get(lang))
        for page in (screen, a1):  # the round's time drains as a bar too
            expect(page.locator(".game-head + .timebar .timebar-fill")).to_be_visible()
        answer(a1, scene.style, scene.best)
        expect(a2.locator(".team-progress")).to_have_text(t("game.team_answered", n=1, total=2))
        answer(a2, scene.style, scene.best)
        answer(b1, scene.style, wrong.id)
        answer(b2, wrong.fits, wrong.id)
        if index == 0:
            a1.screenshot(path=shots / f"{lang}-play-detective.png", full_page=True)
            screen.screenshot(path=shots / f"{lang}-screen-detective.png")
        step(room, "close")
        expect(b2.locator(".game-detective")).to_contain_text(t("game.times_up"))
        step(room, "reveal")
        for page in (a1, b1):
            expect(page.locator(".reveal .best-message")).to_be_visible()
        expect(screen.locator(".tally")).to_be_visible()
        if index == 0:
            a2.screenshot(path=shots / f"{lang}-play-detective-reveal.png", full_page=True)
            screen.screenshot(path=shots / f"{lang}-screen-detective-reveal.png")
            control.screenshot(path=shots / f"{lang}-control-detective.png", full_page=True)
            step(room, "next")
    board = screen.locator(".game-board li")
    expect(board).to_have_count(2)
    first, second = (int(board.nth(i).locator(".team-points").inner_text()) for i in range(2))
    assert first > second > 0

    # A round of the Adoption Ladder: one shared answer, any member may change it.
    room.go(LADDER)
    step(room, "start")
    case = CASES[0]
    best = next(a.id for a in case.actions if a.points == 10)
    a1.locator(f'.ladder button[data-stage="{case.stage}"]').click()
    expect(a2.locator(f'.ladder button[data-stage="{case.stage}"]')).to_have_attribute("aria-pressed", "true")
    a2.locator(f'.message-choice[data-action="{best}"]').click()
    expect(a1.locator(f'.message-choice[data-action="{best}"]')).to_have_attribute("aria-pressed", "true")
    b2.locator(f'.message-choice[data-action="{best}"]').click()
    expect(screen.locator(".respondents")).to_contain_text(t("ladder.teams_done", n=1, total=2))
    a1.screenshot(path=shots / f"{lang}-play-ladder.png", full_page=True)
    step(room, "reveal")
    expect(b1.locator(".actions-reveal li.best")).to_be_visible()
    expect(a1.locator(".my-result")).to_have_text(t("game.team_points", n=20))
    screen.screenshot(path=shots / f"{lang}-screen-ladder-reveal.png")

    # A quarter of the Territory Challenge: A1 and A2 edit one allocation and see it live.
    room.go(CHALLENGE)
    step(room, "start")
    wang, zhou = COURSE.territory.customers[0].id, COURSE.territory.customers[1].id
    customer(a2, wang)  # A2 watches Wang's line while A1 edits it
    stepper(a1, wang, "calls").locator('[data-step="more"]').click()
    expect(stepper(a1, wang, "calls").locator("output")).to_have_text("1")
    expect(stepper(a2, wang, "calls").locator("output")).to_have_text("1")  # live, on the teammate
    expect(a2.locator(".ch-budget li").first).to_contain_text("1/30")
    stepper(a2, zhou, "meetings").locator('[data-step="more"]').click()
    expect(stepper(a1, zhou, "meetings").locator("output")).to_have_text("1")
    fitting = COURSE.territory.customers[0].preference
    customer(a2, wang).locator(f'.style-choice[data-style="{fitting}"]').click()

    # A2's phone drops off the network; A1 keeps editing; A2 comes back to the team's plan.
    a2.context.set_offline(True)
    expect(a2.locator("#link-banner")).to_be_visible()
    for expected in ("2", "3"):
        stepper(a1, wang, "calls").locator('[data-step="more"]').click()
        expect(stepper(a1, wang, "calls").locator("output")).to_have_text(expected)
    a2.context.set_offline(False)
    expect(a2.locator("#link-banner")).to_be_hidden()
    expect(stepper(a2, wang, "calls").locator("output")).to_have_text("3")
    expect(a2.locator(".ch-budget li").first).to_contain_text("3/30")

    stepper(b1, zhou, "calls").locator('[data-step="more"]').click()
    expect(stepper(b2, zhou, "calls").locator("output")).to_have_text("1")
    a1.locator('.ch-lock button[data-lock="on"]').click()  # the captain locks the plan
    expect(a2.locator(".ch-lock")).to_contain_text(t("challenge.locked_by", name="A1"))
    expect(stepper(a2, wang, "calls").locator('[data-step="more"]')).to_be_disabled()
    a1.screenshot(path=shots / f"{lang}-play-challenge.png", full_page=True)
    screen.screenshot(path=shots / f"{lang}-screen-challenge.png")
    step(room, "reveal")
    expect(a2.locator(".ch-quarter")).to_contain_text(t("challenge.value"))
    expect(screen.locator(".ch-teams .lock-icon")).to_have_count(1)
    a2.screenshot(path=shots / f"{lang}-play-challenge-reveal.png", full_page=True)
    step(room, "finish")
    expect(screen.locator(".ch-chart-row")).to_have_count(2)
    expect(a1.locator(".game-challenge")).to_contain_text(t("game.board"))
    screen.screenshot(path=shots / f"{lang}-screen-challenge-debrief.png")
    control.screenshot(path=shots / f"{lang}-control-challenge.png", full_page=True)
    room.close()

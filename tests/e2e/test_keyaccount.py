"""The key-account exercise in a real browser: a facilitator, the projector and two teams of two
phones through all five steps; then one trainee builds their own territory and reloads."""

import pytest
from playwright.sync_api import Page, expect

from app.config import ROOT
from app.course.loader import load_courses
from app.i18n import translate
from app.kinds import KINDS
from tests.support.browser import on_activity, open_room, screen_problems

pytestmark = pytest.mark.e2e
KA, MINE = "u2-selection-exercise", "u2-my-territory"


def go_phase(control: Page, t, phase: str) -> None:
    button = control.locator(".phases button", has_text=t(f"phase.{phase}"))
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def score_card(page: Page, value: int) -> None:
    for form in page.locator("form.ka-score").all():
        button = form.locator(f'button[value="{value}"]')
        button.click()
        expect(button).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_two_teams_through_the_exercise_and_my_territory(server, browser, shots, lang):
    def t(key, **values):
        return translate(lang, key, **values)

    territory = load_courses(ROOT / "content", KINDS)["kam"].territory
    cards = territory.customers
    room = open_room(browser, server.url, lang, ["A1", "B1", "A2", "B2"])
    control, screen, phones = room.control, room.screen, room.phones
    room.teams(2)  # dealt round-robin: A1, A2 | B1, B2
    room.go(KA)

    # 1. Weigh: A2 proposes, A1 (the captain) sees it at once and adopts it.
    a1, a2, b1, b2 = (phones[n] for n in ("A1", "A2", "B1", "B2"))
    proposal = a2.locator("form.ka-proposal")
    weights = {"scale": "20", "influence": "20", "potential": "40", "recognition": "20"}
    for criterion, value in weights.items():
        proposal.locator(f'input[name="{criterion}"]').fill(value)
    proposal.locator("button[type=submit]").click()
    row = a1.locator(".ka-proposal-row", has_text="A2")
    expect(row).to_contain_text("40%")
    row.get_by_role("button", name=t("keyaccount.adopt")).click()
    expect(a2.locator(".ka-weights")).to_contain_text(t("keyaccount.team_weights"))
    b1.locator("form.ka-proposal input[name=scale]").fill("55")  # adds up to 130
    b1.locator("form.ka-proposal button[type=submit]").click()
    expect(b1.locator("#toast")).to_contain_text(t("keyaccount.error.weight_sum"))
    a1.screenshot(path=shots / f"{lang}-play-keyaccount-weigh.png", full_page=True)

    # 2. Score: A1 and A2 share the cards; each sees the other's scores in the team's ranking.
    go_phase(control, t, "score")
    for page in (a1, a2, b1, b2):
        expect(page.locator(".ka-scores")).to_be_visible()
    for index, value in enumerate((5, 4, 3)):
        if index:
            step_to(a1, t, index - 1, index, len(cards))
        score_card(a1, value)
    step_to(a2, t, 0, 3, len(cards))
    score_card(a2, 2)
    expect(a1.locator(".ka-ranking li", has_text=cards[3].name.get(lang))).to_contain_text("2.00")
    score_card(b1, 1)
    expect(control.locator(".ka-progress tbody tr").first).to_contain_text(f"4 / {len(cards)}")
    a1.screenshot(path=shots / f"{lang}-play-keyaccount-score.png", full_page=True)

    # 3. Place: a tap on the grid.
    go_phase(control, t, "place")
    cell = a1.locator('button.ka-cell[value="high-low"]')
    cell.click()
    expect(cell).to_have_attribute("aria-pressed", "true")
    a1.screenshot(path=shots / f"{lang}-play-keyaccount-place.png", full_page=True)

    # 4. Choose: team A picks the expert's accounts, team B falls into a trap.
    go_phase(control, t, "choose")
    expert = territory.expert
    for card_id in expert.top:
        reason = "潜力与影响力都高" if lang == "zh-CN" else "big and influential"
        choose(a2, territory.card(card_id).name.get(lang), reason)
    expect(a1.locator(".ka-total")).to_contain_text(t("keyaccount.chosen", done=5, total=5))
    trap = next(c for c in expert.traps if c not in expert.top)
    choose(b1, territory.card(trap).name.get(lang), "<b>famous</b>")
    b2.screenshot(path=shots / f"{lang}-play-keyaccount-choose.png", full_page=True)

    # A crashed and restarted server loses nothing; the phones find their way back by themselves.
    server.restart()
    b2.reload()  # a page from the new process shows the team's choices
    expect(b2.locator(".ka-total")).to_contain_text(t("keyaccount.chosen", done=1, total=5))

    # 5. Debrief on the projector, points from the control page.
    go_phase(control, t, "debrief")
    debrief = screen.locator(".ka-room")
    expect(debrief).to_be_visible()
    trap_row = debrief.locator("li", has_text=territory.card(trap).name.get(lang))
    expect(trap_row).to_contain_text(t("keyaccount.fell", n=1))
    expect(debrief.locator("li.expert")).to_have_count(len(expert.top))
    expect(a1.locator(".ka-total")).to_contain_text(t("keyaccount.your_agreement", n=5, total=5))
    expect(b1.locator(".ka-traps")).to_contain_text(t("keyaccount.you_fell"))
    screen.screenshot(path=shots / f"{lang}-screen-keyaccount-debrief.png")
    assert not screen_problems(screen)  # every row, readable from the back row
    control.once("dialog", lambda dialog: dialog.accept())
    control.get_by_role("button", name=t("keyaccount.award")).click()
    expect(a1.locator(".me-points")).to_contain_text("60")
    control.screenshot(path=shots / f"{lang}-control-keyaccount.png", full_page=True)

    # My territory: six customers, one key account, all still there after a reload.
    control.locator(f'.agenda-item[data-activity="{MINE}"]').click()
    on_activity(b2, MINE)
    for n in range(6):
        form = b2.locator("form.ma-add")
        form.locator('input[name="customer"]').fill(f"zl{n}")
        form.locator('select[name="stage"]').select_option(territory.ladder[n % len(territory.ladder)].id)
        form.locator("button[type=submit]").click()
        progress = t("accounts.progress", n=n + 1, min=5, max=15, chosen=0)
        expect(b2.locator(".ma-progress")).to_contain_text(progress)
    customer = b2.locator("#ma-ZL2")
    customer.locator("summary").click()
    score_card(customer, 5)
    customer.locator('input[name="reason"]').fill("门诊量大" if lang == "zh-CN" else "many patients")
    customer.get_by_role("button", name=t("accounts.choose")).click()
    expect(b2.locator(".ma-progress")).to_contain_text(t("accounts.progress", n=6, min=5, max=15, chosen=1))
    b2.screenshot(path=shots / f"{lang}-play-myaccounts.png", full_page=True)
    b2.reload()
    on_activity(b2, MINE)
    expect(b2.locator(".ma-list > li")).to_have_count(6)
    expect(b2.locator(".ma-list > li").first).to_contain_text("ZL2")  # the best weighted score first
    expect(b2.locator(".ma-progress")).to_contain_text(t("accounts.progress", n=6, min=5, max=15, chosen=1))
    room.close()


def step_to(page: Page, t, start: int, stop: int, total: int) -> None:
    """From card number `start` (0-based) on to card `stop` with the ▶ button."""
    for index in range(start, stop):
        button = page.locator(".ka-nav button").last
        target = button.get_attribute("value")  # the card it shows next (a tap is idempotent)
        button.click()
        if page.locator(".ka-count").inner_text() != t("keyaccount.card_of", n=index + 2, total=total):
            # a teammate's update may replace the button just as it is tapped; a person taps again
            page.wait_for_timeout(1000)
            nav = page.locator(".ka-nav button").last
            if nav.get_attribute("value") == target:
                nav.click()
        expect(page.locator(".ka-count")).to_have_text(t("keyaccount.card_of", n=index + 2, total=total))


def choose(page: Page, name: str, reason: str) -> None:
    row = page.locator(".ka-choices li", has_text=name)
    row.locator('input[name="reason"]').fill(reason)
    row.locator('button[value="true"]').click()
    expect(row).to_have_class("chosen")

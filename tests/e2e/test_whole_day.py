"""The whole sample day in the browser, as people see it: for every activity in every phase, a
phone at 360×740 never scrolls sideways and every control on it is big enough to tap, and the
projector at 1920×1080 never scrolls sideways, cuts nothing off and shows no text under 32 px;
in both languages. On the way the facilitator runs each break (the time back and the countdown
on the projector and the phone, five minutes more, the end) and the closing ceremony (each
badge, then the podium, one click at a time), and the views of each step are checked too."""

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from app.config import ROOT
from app.course.loader import load_courses
from app.db import make_engine
from app.kinds import KINDS
from app.models import Participant, Team
from app.points import ledger
from app.points.models import EarnedBadge
from tests.support.browser import Room, open_room, phone_problems, screen_problems

TEAMS = 3


def shown(page: Page, activity: str, phase: str) -> None:
    stage = page.locator("#play-stage, #screen-stage")
    expect(stage).to_have_attribute("data-activity", activity)
    expect(stage).to_have_attribute("data-phase", phase)


def set_phase(control: Page, index: int) -> None:
    """Press a phase button until the control page shows it pressed: a click that lands while
    the control region is being replaced is lost, and a trainer would press again."""
    button = control.locator(".phases button").nth(index)
    for _ in range(2):
        button.click()
        try:
            expect(button).to_have_attribute("aria-pressed", "true", timeout=5000)
            return
        except AssertionError:
            continue
    button.click()
    expect(button).to_have_attribute("aria-pressed", "true")


def seed_the_day(database_url: str, session_id: int) -> None:
    """What a day leaves for its ceremony: points for every team (a podium to reveal) and a
    badge for the trainee."""
    engine = make_engine(database_url)
    with Session(engine) as db:
        teams = list(db.exec(select(Team).where(Team.session_id == session_id).order_by(Team.id)))
        for n, team in enumerate(teams, start=1):
            ledger.award(
                db,
                session_id,
                activity_id="u1-quiz",
                reason="test",
                points=10 * n,
                team_id=team.id,
                key=f"t{n}",
            )
        person = db.exec(select(Participant).where(Participant.session_id == session_id)).one()
        db.add(EarnedBadge(session_id=session_id, participant_id=person.id, badge_id="quiz-master"))
        db.commit()
    engine.dispose()


def probe(room: Room, phone: Page, where: str) -> list[str]:
    return [f"{where} phone: {p}" for p in phone_problems(phone)] + [
        f"{where} screen: {p}" for p in screen_problems(room.screen)
    ]


def in_shanghai(browser: Browser, room: Room) -> str:
    """The time back as a projector whose clock is set to China's time zone shows it."""
    context = browser.new_context(
        timezone_id="Asia/Shanghai", storage_state=room.control.context.storage_state()
    )
    try:
        page = context.new_page()
        page.goto(f"{room.url}/screen/{room.session_id}")
        return page.locator(".break-back time").inner_text()
    finally:
        context.close()


def run_the_break(browser: Browser, room: Room, phone: Page, activity, shots, first: bool) -> list[str]:
    """The time back on the projector and the phone, each in its own clock, a countdown that
    runs; five minutes more; the end."""
    back = room.screen.locator(".break-back time")
    expect(room.screen.locator(".break-countdown")).to_have_text(re.compile(r"^\d{1,3}:\d\d$"))
    at = back.inner_text()
    expect(phone.locator(".break-back time")).to_have_text(at)
    moment = datetime.fromisoformat(back.get_attribute("datetime"))
    assert at == moment.astimezone().strftime("%H:%M")  # this machine's clock, as the browsers here
    assert (
        timedelta(minutes=activity.minutes - 1)
        < moment - datetime.now(UTC)
        <= timedelta(minutes=activity.minutes)
    )
    if first:
        shanghai = moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
        assert in_shanghai(browser, room) == shanghai
        room.screen.screenshot(path=shots / f"{room.lang}-screen-break.png")
        phone.screenshot(path=shots / f"{room.lang}-play-break.png")
        room.control.screenshot(path=shots / f"{room.lang}-control-break.png")
    room.control.get_by_role("button", name=room.t("break.extend", n=5), exact=True).click()
    later = (datetime.strptime(at, "%H:%M") + timedelta(minutes=5)).strftime("%H:%M")
    expect(back).to_have_text(later)
    expect(phone.locator(".break-back time")).to_have_text(later)
    room.control.get_by_role("button", name=room.t("break.end"), exact=True).click()
    for page in (room.screen, phone):
        expect(page.locator(".break-back")).to_have_text(room.t("break.over"))
    if first:
        room.screen.screenshot(path=shots / f"{room.lang}-screen-break-over.png")
    return probe(room, phone, f"{activity.id} [over]")


def run_the_ceremony(room: Room, phone: Page, shots, badge: str) -> list[str]:
    """Each badge, then the podium from third place to first, one click at a time."""
    problems = []
    button = room.control.locator(".leaderboard-control button.primary")
    expect(room.screen.locator(".ceremony-waiting")).to_have_text(room.t("board.waiting"))
    button.click()  # the badge
    expect(room.screen.locator(".award-name")).to_contain_text(badge)
    expect(phone.locator(".my-badge")).to_contain_text(room.t("board.my_badge", name=badge))
    room.screen.screenshot(path=shots / f"{room.lang}-screen-ceremony-badge.png")
    phone.screenshot(path=shots / f"{room.lang}-play-ceremony-badge.png")
    problems += probe(room, phone, "ceremony [badge]")
    for revealed in range(1, TEAMS + 1):  # third place, second, first
        button.click()
        expect(room.screen.locator(".podium-places .team-points")).to_have_count(revealed)
        problems += probe(room, phone, f"ceremony [podium {revealed}]")
    room.screen.screenshot(path=shots / f"{room.lang}-screen-ceremony-podium.png")
    button.click()  # the whole board
    expect(room.control.locator(".leaderboard-control")).to_contain_text(room.t("board.revealed_all"))
    expect(room.screen.locator(".board.teams li")).to_have_count(TEAMS)
    room.screen.screenshot(path=shots / f"{room.lang}-screen-ceremony-board.png")
    return problems + probe(room, phone, "ceremony [all]")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_every_view_of_the_day_fits_a_phone_and_the_projector(server, browser, shots, lang):
    course = load_courses(ROOT / "content", KINDS)["kam"]
    room = open_room(browser, server.url, lang, ["王芳"])
    phone = room.phones["王芳"]
    room.teams(TEAMS)
    seed_the_day(server.env["DATABASE_URL"], int(room.session_id))
    problems, breaks = [], 0
    try:
        next_button = room.control.get_by_role("button", name=room.t("control.next") + " ▶", exact=True)
        for activity in course.activities:  # the day in order, as a facilitator steps through it
            next_button.click()
            current = room.control.locator(f'.agenda li.current [data-activity="{activity.id}"]')
            expect(current).to_be_attached()
            for index, phase in enumerate(KINDS.get(activity.kind).phases):
                if index:
                    set_phase(room.control, index)
                for view, page, check in (
                    ("phone", phone, phone_problems),
                    ("screen", room.screen, screen_problems),
                ):
                    shown(page, activity.id, phase)
                    problems += [f"{activity.id} [{phase}] {view}: {p}" for p in check(page)]
            if activity.kind == "break":
                problems += run_the_break(browser, room, phone, activity, shots, first=not breaks)
                breaks += 1
            elif activity.id == "u4-ceremony":
                badge = next(b for b in course.badges if b.id == "quiz-master").name.get(lang)
                problems += run_the_ceremony(room, phone, shots, badge)
    finally:
        room.close()
    assert breaks == 3
    assert not problems, "\n".join(problems)

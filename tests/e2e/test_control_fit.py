"""The control page on a trainer's laptop (1440×900): the plan presentation's table keeps each
header on one line, and after "delete personal data" nobody counts as online and the page says
the session ended (no lobby hint)."""

import pytest
from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from app.config import ROOT
from app.course.loader import load_courses
from app.db import make_engine
from app.kinds import KINDS
from app.models import Participant
from app.plans import store
from app.plans.body import PlanBody
from tests.support.browser import open_room

pytestmark = pytest.mark.e2e
PRESENT = "u4-plan-present"
LAPTOP = {"width": 1440, "height": 900}


def seed_plans(database_url: str, session_id: int) -> None:
    """A plan for each trainee, as the writing activity leaves them."""
    ladder = [rung.id for rung in load_courses(ROOT / "content", KINDS)["kam"].territory.ladder]
    engine = make_engine(database_url)
    with Session(engine) as db:
        people = db.exec(select(Participant).where(Participant.session_id == session_id)).all()
        for n, person in enumerate(people):
            plan = store.start(db, session_id, person.id, f"ZL{n}", PlanBody(), ladder)
            body = PlanBody(profile="三甲 内分泌科", needs="达标率", potential="高")
            store.save(db, plan, body, base=plan.version, device="d1", seq=1, ladder=ladder)
    engine.dispose()


def one_line(page: Page, selector: str) -> None:
    """The text of every element matching selector is on one line (its lines' tops counted)."""
    lines = page.locator(selector).evaluate_all(
        """cells => cells.map(cell => {
          const range = document.createRange();
          range.selectNodeContents(cell);
          const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
          return [cell.textContent.trim(), tops.size];
        })"""
    )
    wrapped = [(text, count) for text, count in lines if text and count > 1]
    assert not wrapped, wrapped


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_the_plan_table_fits_and_an_erased_session_reads_as_ended(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, ["王芳", "Alexandra Konstantinova"])
    control = room.control
    control.set_viewport_size(LAPTOP)
    seed_plans(server.env["DATABASE_URL"], int(room.session_id))
    room.go(PRESENT)
    control.locator(".planshow-control button", has_text=room.t("plan.show.present")).first.click()
    expect(control.locator(".planshow-control .ps-on")).to_have_count(1)
    one_line(control, ".planshow-control thead th")
    control.screenshot(path=shots / f"{lang}-control-plan-present-1440.png")

    control.locator("#export-erase summary").click()
    control.fill("#erase-confirm", room.code)
    control.locator(".erase-go").click()
    expect(control.locator("#online-count")).to_have_text("0 / 0")
    expect(control.locator("#control-main .current")).to_contain_text(room.t("live.ended_title"))
    expect(control.locator("#control-main .current")).not_to_contain_text(room.t("control.lobby_hint"))
    for phone in room.phones.values():
        expect(phone.locator("#play-stage")).to_contain_text(room.t("play.data_erased"))
    control.screenshot(path=shots / f"{lang}-control-erased-1440.png")
    room.close()

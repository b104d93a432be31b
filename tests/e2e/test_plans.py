"""The plan workspace in a real browser: a trainee writes a plan on a phone, goes offline while
typing and keeps typing, the server is killed mid-edit; every character is on the server after.
Then the facilitator locks editing, presents the plan, the room gives feedback and votes, the
best plan is awarded, and the facilitator downloads the ZIP of plans and the session workbook."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import PHONE, on_activity, open_room

pytestmark = pytest.mark.e2e
WRITING, PRESENT = "u4-plan-writing", "u4-plan-present"
PRESENT_TITLE = {"zh-CN": "计划展示与反馈", "en": "Presenting plans and feedback"}


def saved(page: Page) -> None:
    expect(page.locator("#plan-status")).to_have_attribute("data-kind", "saved")


def server_copy(browser: Browser, phone: Page, url: str, lang: str) -> Page:
    """The same trainee on a second device: no local draft, so it shows what the server has."""
    context = browser.new_context(**{**PHONE, "locale": lang})
    context.add_cookies(phone.context.cookies())
    page = context.new_page()
    page.goto(phone.url.split("?")[0])
    expect(page.locator("#plan-status")).to_be_visible()
    return page


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_write_present_and_export_a_plan(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, ["P1", "P2", "P3"])
    t, control, screen = room.t, room.control, room.screen
    p1, p2, p3 = (room.phones[n] for n in ("P1", "P2", "P3"))
    room.go(WRITING)

    # Begin a plan for a customer that was not on a key-account list.
    expect(p1.locator("details.plan-new")).to_have_attribute("open", "")  # nothing else to start from
    p1.fill("details.plan-new input[name=customer]", "zl")
    p1.locator("details.plan-new select[name=stage]").select_option("trial")
    p1.locator("details.plan-new button[type=submit]").click()
    expect(p1.locator(".plan-bar h1")).to_have_text("ZL")
    p1.fill("#f-profile", "三甲医院内分泌科 <b>60</b> 张床")
    saved(p1)

    # The decision-making unit: the prefilled person gets a role and a style; their message field
    # shows the tips for that style.
    person = p1.locator('[data-list="people"] .plan-row').first
    person.locator('[data-item="role"]').fill("科主任")
    person.locator('[data-item="influence"]').select_option("high")
    person.locator('[data-item="stance"]').select_option("neutral")
    person.locator('[data-item="style"]').select_option("data")
    expect(p1.locator("#plan-messages [data-tips]")).to_be_visible()
    p1.locator("#plan-messages [data-message]").fill("先给结论，再给头对头数据")

    # An objective without a date is not SMART yet; with one it is.
    goal = p1.locator('[data-list="objectives"] .plan-row').first
    goal.locator('[data-item="to_stage"]').select_option("regular")
    goal.locator('[data-item="text"]').fill("ZL 主任从试用进到常规使用")
    saved(p1)
    expect(goal.locator("[data-smart]")).to_contain_text(t("plan.smart.time"))
    goal.locator('[data-item="due"]').fill("2027-09-30")
    saved(p1)
    expect(goal.locator("[data-smart-ok]")).to_be_visible()
    p1.screenshot(path=shots / f"{lang}-play-plan-editor.png", full_page=True)

    # Offline mid-typing: keep typing; nothing is lost when the link is back.
    needs = p1.locator("#f-needs")
    needs.press_sequentially("血糖达标率低，")
    p1.context.set_offline(True)
    needs.press_sequentially("希望有简单的随访流程。")
    expect(p1.locator("#plan-status")).to_have_attribute("data-kind", "offline")
    p1.screenshot(path=shots / f"{lang}-play-plan-offline.png")
    p1.context.set_offline(False)
    saved(p1)

    # The server is killed mid-edit; typing goes on; it comes back and every character lands.
    server.stop()
    p1.fill("#f-potential", "门诊量大，适应症病人占三成")
    expect(p1.locator("#plan-status")).to_have_attribute("data-kind", "offline")
    server.start()
    saved(p1)
    other = server_copy(browser, p1, server.url, lang)
    expect(other.locator("#f-needs")).to_have_value("血糖达标率低，希望有简单的随访流程。")
    expect(other.locator("#f-potential")).to_have_value("门诊量大，适应症病人占三成")
    expect(other.locator("#f-profile")).to_have_value("三甲医院内分泌科 <b>60</b> 张床")
    expect(other.locator("#plan-messages [data-message]")).to_have_value("先给结论，再给头对头数据")

    # Two devices: the second one edits an older version and is told, not overwritten.
    p1.fill("#f-triggers", "两个季度停在同一阶段")
    saved(p1)
    other.fill("#f-reviews", "每月和经理回顾")
    expect(other.locator("#plan-conflict-actions")).to_be_visible()
    other.screenshot(path=shots / f"{lang}-play-plan-conflict.png")
    other.locator("#plan-take-theirs").click()
    expect(other.locator("#f-triggers")).to_have_value("两个季度停在同一阶段")
    other.context.close()

    # The facilitator sees the progress live and locks editing.
    row = control.locator(".plan-progress tr", has_text="P1")
    expect(row).to_contain_text("%")
    control.screenshot(path=shots / f"{lang}-control-plan.png", full_page=True)
    screen.screenshot(path=shots / f"{lang}-screen-plan.png")
    control.locator(".phases button", has_text=t("phase.closed")).click()
    p1.fill("#f-reviews", "每月回顾")
    expect(p1.locator("#plan-banner")).to_contain_text(t("plan.error.locked"))
    control.locator(".phases button", has_text=t("phase.open")).click()

    # Present it: the projector shows it, two trainees score it, the best plan is awarded.
    p1.locator(".plan-back").click()
    expect(p1.locator(".plan-card")).to_contain_text("ZL")
    p1.screenshot(path=shots / f"{lang}-play-plan-list.png", full_page=True)

    # Writing counts as being in the room, and the editor follows the trainer without touching
    # what is being typed: the trainer moves on mid-word, the phone says where, the word goes on.
    p1.locator(".plan-card").click()
    expect(control.locator("li.online", has_text="P1")).to_be_visible()
    review = p1.locator("#f-reviews")
    review.fill("")
    review.press_sequentially("每月和")
    control.locator(f'.agenda-item[data-activity="{PRESENT}"]').click()
    expect(p1.locator("#plan-moved")).to_be_visible()
    expect(p1.locator("#plan-moved-to")).to_have_text(PRESENT_TITLE[lang])
    review.press_sequentially("经理回顾")
    expect(review).to_have_value("每月和经理回顾")
    saved(p1)
    p1.screenshot(path=shots / f"{lang}-play-plan-room-moved.png")
    p1.locator("#plan-moved-go").click()
    for phone in (p1, p2, p3):
        on_activity(phone, PRESENT)
    presenter = control.locator(".planshow-control tr", has_text="P1")
    presenter.get_by_role("button", name=t("plan.show.present")).click()
    expect(screen.locator(".ps-head")).to_contain_text("ZL")
    expect(screen.locator(".ps-people")).to_contain_text("先给结论")
    expect(p1.locator("#play-own")).to_contain_text(t("plan.show.own"))
    for phone, vote in ((p2, "5"), (p3, "4")):
        form = phone.locator("form.ps-feedback")
        form.locator(f'.ps-star:has(input[value="{vote}"])').click()
        form.locator("textarea[name=strength]").fill("目标清楚 <i>x</i>")
        form.locator("button[type=submit]").click()
        expect(phone.locator(".ps-feedback .saved")).to_be_visible()
    expect(screen.locator(".ps-rating")).to_contain_text("4.5")
    p2.screenshot(path=shots / f"{lang}-play-plan-feedback.png", full_page=True)
    screen.screenshot(path=shots / f"{lang}-screen-plan-present.png")
    control.on("dialog", lambda dialog: dialog.accept())
    control.get_by_role("button", name=t("plan.show.award")).click()
    expect(control.locator(".planshow-control tr", has_text="P1")).to_contain_text("★")
    expect(control.locator(".ps-comments")).to_contain_text("目标清楚 <i>x</i>")
    control.screenshot(path=shots / f"{lang}-control-plan-present.png", full_page=True)

    # The facilitator's exports: every plan in a ZIP, the whole session in a workbook.
    with control.expect_download() as zipped:
        control.locator('a[href$="/export/plans.zip"]').click()
    with zipfile.ZipFile(zipped.value.path()) as bundle:
        assert len(bundle.namelist()) == 3 and any("P1" in name for name in bundle.namelist())
    with control.expect_download() as workbook:
        control.locator('a[href$="/export/workbook.xlsx"]').click()
    book = load_workbook(io.BytesIO(workbook.value.path().read_bytes()))
    assert any("ZL" in str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row)
    room.close()


def test_closing_the_page_right_after_typing_still_saves(server, browser):
    room = open_room(browser, server.url, "zh-CN", ["P1"])
    p1 = room.phones["P1"]
    room.go(WRITING)
    p1.fill("details.plan-new input[name=customer]", "w1")
    p1.locator("details.plan-new button[type=submit]").click()
    expect(p1.locator(".plan-bar h1")).to_have_text("W1")
    saved(p1)
    cookies, url = p1.context.cookies(), p1.url
    p1.fill("#f-needs", "最后一句，在关页面之前")  # closed before the pause that would save it
    p1.close(run_before_unload=True)  # hidden, then gone: the beacon carries the text
    context = browser.new_context(**PHONE)
    context.add_cookies(cookies)
    other = context.new_page()
    other.goto(url)
    expect(other.locator("#f-needs")).to_have_value("最后一句，在关页面之前")
    room.close()

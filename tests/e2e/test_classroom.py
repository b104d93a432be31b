"""The whole classroom in a real browser: a facilitator, a projector and three phones."""

import re
import signal

import pytest
from playwright.sync_api import expect

from app.config import ROOT
from app.course.loader import load_courses
from app.kinds import KINDS
from tests.support.browser import PHONE, join, on_activity, open_projector, start_session

pytestmark = pytest.mark.e2e
NAMES = ["王芳", "李强", "Chen Jing"]


def test_trainees_follow_the_facilitator_through_drops_and_restarts(server, browser, shots):
    activities = load_courses(ROOT / "content", KINDS)["kam"].activities
    trainer = browser.new_context(viewport={"width": 1366, "height": 800}, locale="zh-CN")
    control = trainer.new_page()
    session_id, code = start_session(control, server.url)
    screen = open_projector(browser, control, server.url, session_id)
    expect(screen.locator(".join-code")).to_contain_text(code[:3])

    phones = []
    for name in NAMES:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        join(page, server.url, code, name)
        phones.append((context, page))
    expect(screen.locator(".names")).to_contain_text("Chen Jing")
    expect(control.locator("#online-count")).to_have_text("3 / 3")
    screen.screenshot(path=shots / "screen-lobby.png")
    phones[0][1].screenshot(path=shots / "play-lobby.png")

    next_button = control.get_by_role("button", name=re.compile("下一个"))
    for activity in activities[:3]:  # the facilitator walks the agenda; every phone follows
        next_button.click()
        for _, page in phones:
            on_activity(page, activity.id)
        expect(screen.locator(f'#screen-stage[data-activity="{activity.id}"]')).to_be_visible()

    target = activities[12]  # straight to a later activity, picked in the agenda
    control.locator(f'.agenda-item[data-activity="{target.id}"]').click()
    for _, page in phones:
        on_activity(page, target.id)
    phones[1][1].screenshot(path=shots / "play-activity.png")
    screen.screenshot(path=shots / "screen-activity.png")
    control.screenshot(path=shots / "control.png")

    # A phone drops off the Wi-Fi, the class moves on, the phone comes back whole.
    offline_context, offline_page = phones[0]
    offline_context.set_offline(True)
    expect(offline_page.locator("#link-banner")).to_be_visible()
    next_button.click()
    on_activity(phones[1][1], activities[13].id)
    offline_context.set_offline(False)
    on_activity(offline_page, activities[13].id)
    expect(offline_page.locator("#link-banner")).to_be_hidden()
    expect(offline_page.locator("#play-me")).to_contain_text("王芳")

    # Pause reaches every screen.
    control.get_by_role("button", name="暂停").click()
    for page in (screen, *(p for _, p in phones)):
        expect(page.locator("text=休息一下")).to_be_visible()
    control.get_by_role("button", name="继续").click()
    on_activity(phones[2][1], activities[13].id)

    # The server is killed and comes back: every page reconnects by itself, state intact.
    server.stop(signal.SIGKILL)
    expect(phones[2][1].locator("#link-banner")).to_be_visible()
    server.start()
    for page in (screen, control, *(p for _, p in phones)):
        expect(page.locator("#link-banner")).to_be_hidden()
    next_button.click()
    for _, page in phones:
        on_activity(page, activities[14].id)
    expect(screen.locator(f'#screen-stage[data-activity="{activities[14].id}"]')).to_be_visible()
    expect(control.locator("#online-count")).to_have_text("3 / 3")

    # A graceful restart (close code 1012) is just as seamless.
    server.restart(signal.SIGTERM)
    next_button.click()
    for _, page in phones:
        on_activity(page, activities[15].id)

    # A refresh, and closing the tab and opening the link again, keep the same seat.
    phones[1][1].reload()
    on_activity(phones[1][1], activities[15].id)
    expect(phones[1][1].locator("#play-me")).to_contain_text("李强")
    reopened = phones[2][0].new_page()
    phones[2][1].close()
    reopened.goto(f"{server.url}/j/{code}")
    on_activity(reopened, activities[15].id)
    expect(reopened.locator("#play-me")).to_contain_text("Chen Jing")
    for context, _ in phones:
        context.close()
    screen.context.close()
    trainer.close()


def test_reclaim_seat_on_a_new_device(server, browser, shots):
    trainer = browser.new_context(locale="zh-CN")
    session_id, code = start_session(trainer.new_page(), server.url)
    first = browser.new_context(**PHONE).new_page()
    join(first, server.url, code, "赵敏")
    first.locator(".me-more summary").click()
    rejoin_code = first.locator(".rejoin-code").text_content()
    first.screenshot(path=shots / "play-menu.png")

    second = browser.new_context(**PHONE).new_page()
    second.goto(f"{server.url}/j/{code}")
    second.fill("#join-form input[name=name]", "赵敏")
    second.get_by_role("button", name="加入", exact=True).click()
    expect(second.locator(".error")).to_contain_text("已经有人使用")
    second.screenshot(path=shots / "join-error.png", full_page=True)
    second.locator("details.card summary").click()
    assert rejoin_code and len(rejoin_code) == 6
    second.fill("#rejoin-form input[name=rejoin_code]", rejoin_code)
    second.get_by_role("button", name="回到我的座位").click()
    expect(second.locator("#play-me")).to_contain_text("赵敏")
    first.reload()
    expect(first.locator("#join-form")).to_be_visible()  # the old phone lost the seat

    second.locator(".me-more summary").click()  # each trainee picks their language
    second.get_by_role("button", name="English").click()
    expect(second.locator("#play-stage")).to_contain_text("You are in")
    second.screenshot(path=shots / "play-lobby-en.png")
    trainer.close()

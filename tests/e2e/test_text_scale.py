"""Phones with their text enlarged (WeChat's font setting and 关怀模式 make it about 1.2×, a
browser's font boosting more): at 360 px with 125 % and 150 % text, the join page, a quiz, the
plan editor, the trainee's results and the take-home report never scroll sideways nor cut a
control off. Then the take-home report inside WeChat: the page says how to keep it, and the
report opens from its link in another browser without the seat."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.support.browser import PHONE, join, open_room

pytestmark = pytest.mark.e2e
QUIZ, WRITING = "u1-quiz", "u4-plan-writing"
WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2219A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko)"
    " Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160117 MMWEBSDK/20240301 MicroMessenger/8.0.48"
)

# Text enlarged as WeChat does it (Android's WebView text zoom): every font size, in px or rem,
# times the factor. A mobile Chromium applies `text-size-adjust` so, to every text of the page
# (the root font size alone would leave text sized in px as it was).
ENLARGE = """percent => {
  document.documentElement.style.webkitTextSizeAdjust = percent + '%';
}"""

# What enlarged text breaks: the page scrolls sideways, a control reaches past the screen's
# edge, or a control's own text overflows its box (cut off, or drawn over its neighbour). The
# width is the layout's (clientWidth): a phone widens innerWidth to whatever overflows it.
CUT_OFF = """() => {
  const problems = [];
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width)
    problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + 'px');
  const controls = 'button, select, input:not([type=hidden]), textarea, a.button, summary, label';
  for (const el of document.querySelectorAll(controls)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;  // not shown
    const name = (el.textContent || el.name || el.id || el.className).trim().slice(0, 30);
    if (box.left < -0.5 || box.right > width + 0.5) problems.push('past the edge: ' + name);
    if (el.tagName !== 'INPUT' && el.tagName !== 'TEXTAREA' && el.tagName !== 'SELECT'
        && el.scrollWidth > el.clientWidth + 1)
      problems.push('text overflows: ' + name + ' ' + el.scrollWidth + '>' + el.clientWidth);
  }
  return problems;
}"""


def problems(page: Page, percent: int) -> list[str]:
    page.evaluate(ENLARGE, percent)
    page.wait_for_timeout(50)  # a layout after the change
    return page.evaluate(CUT_OFF)


def phone(browser: Browser, url: str, **extra) -> Page:
    context = browser.new_context(**{**PHONE, **extra})
    context.add_cookies([{"name": "lang", "value": "zh-CN", "url": url}])
    return context.new_page()


def test_enlarged_text_never_breaks_a_phone_view(server, browser, shots):
    room = open_room(browser, server.url, "zh-CN", [])
    me = phone(browser, server.url)
    found: dict[str, list[str]] = {}

    def check(view: str) -> None:
        for percent in (125, 150):
            if wrong := problems(me, percent):
                found[f"{view} at {percent} %"] = wrong
        me.screenshot(path=shots / f"zh-CN-text150-{view}.png", full_page=True)

    me.goto(f"{server.url}/join")
    check("join")
    join(me, server.url, room.code, "王芳芳")
    room.phones["王芳芳"] = me

    room.go(QUIZ)
    room.control.get_by_role("button", name=room.t("quiz.start")).click()
    expect(me.locator("button.choice, form.choices").first).to_be_visible()
    check("quiz")

    room.go(WRITING)
    me.fill("details.plan-new input[name=customer]", "zl")
    me.locator("details.plan-new button[type=submit]").click()
    expect(me.locator(".plan-bar h1")).to_have_text("ZL")
    check("plan-editor")

    me.goto(f"{server.url}/play/{room.code}/mine")
    check("results")
    me.goto(f"{server.url}/play/{room.code}/report")
    expect(me.locator(".th-report")).to_be_visible()
    check("report")
    assert found == {}, found
    room.close()


def test_the_report_inside_wechat_and_in_another_browser(server, browser, shots):
    room = open_room(browser, server.url, "zh-CN", [])
    room.teams(1)
    me = phone(browser, server.url, user_agent=WECHAT)
    join(me, server.url, room.code, "王芳芳")
    room.phones["王芳芳"] = me
    room.go(WRITING)
    me.fill("details.plan-new input[name=customer]", "zl")
    me.locator("details.plan-new button[type=submit]").click()
    me.fill("#f-profile", "三甲医院内分泌科 <b>60</b> 张床")
    expect(me.locator("#plan-status")).to_have_attribute("data-kind", "saved")

    me.get_by_role("link", name=room.t("plan.report")).click()
    expect(me.locator(".th-wechat")).to_contain_text(room.t("takehome.wechat.step_browser"))
    expect(me.locator(".th-report")).to_contain_text("三甲医院内分泌科 <b>60</b> 张床")  # as typed, escaped
    expect(me.locator(".th-qr svg")).to_be_visible()
    me.screenshot(path=shots / "zh-CN-wechat-report.png")
    me.screenshot(path=shots / "zh-CN-wechat-report-full.png", full_page=True)
    me.get_by_role("button", name=room.t("takehome.copy")).click()
    expect(me.locator("#th-copied")).not_to_be_empty()
    assert problems(me, 150) == []
    me.screenshot(path=shots / "zh-CN-wechat-report-text150.png")

    # "Open in browser": the same address in a browser that holds no seat.
    link = me.locator("#th-link").input_value()
    elsewhere = phone(browser, server.url)
    elsewhere.goto(link)
    expect(elsewhere.locator(".th-wechat")).to_have_count(0)
    with elsewhere.expect_download() as download:
        elsewhere.get_by_role("link", name=room.t("takehome.docx")).click()
    assert download.value.suggested_filename.endswith(".docx")
    elsewhere.screenshot(path=shots / "zh-CN-browser-report.png")
    elsewhere.context.close()
    room.close()


def test_an_old_report_link_says_so(server, browser):
    page = phone(browser, server.url)
    page.goto(f"{server.url}/take-home/1-2.broken.link")
    expect(page.locator("main")).to_contain_text("链接")
    page.context.close()

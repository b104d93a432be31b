"""Case analysis in the browser: a facilitator runs the Unit 3 role-play script with three
trainees tagging on phones, opens the timeline and jumps to its peak from the projector; and a
video case — uploaded from the control page, played, paused and seeked on the projector, with a
projector that reloads and resumes — in both languages."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.course.loader import load_courses
from app.kinds import KINDS
from tests.support.browser import Room, open_room, screen_problems
from tests.support.case_content import case_content
from tests.support.server import running_server

CLIP = Path(__file__).with_name("clip.webm")  # 20 s, 96×54 WebM, 4 KB
SCRIPT, VIDEO = "u3-case-script", "u3-video-case"


@pytest.fixture
def server(tmp_path):
    """The sample course, with the Unit 3 video case given expert annotations (at 2 s and 6 s)."""
    with running_server(tmp_path, case_content(tmp_path)) as running:
        yield running


def kind_button(page: Page, room: Room, key: str, **values):
    name = re.compile(re.escape(room.t(key, **values)))
    return page.locator(".case-control").get_by_role("button", name=name)


def tap(page: Page, tag: str, comment: str = "") -> None:
    if comment:
        page.locator(".case-comment").fill(comment)
    page.locator(f'[data-case-tap="{tag}"]').click()


def my_tags(page: Page):
    return page.locator(".case-mine li")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_script_case_tagged_by_three_trainees_then_the_timeline_and_its_peak(server, browser, shots, lang):
    config = load_courses(Path(server.env["CONTENT_DIR"]), KINDS)["kam"].activity(SCRIPT).config
    cue = next(n for n in config.annotations if n.tag == "data-cue")  # the first data cue
    line = config.script.lines[int(cue.at)]
    room = open_room(browser, server.url, lang, ["王芳", "Li Qiang", "<i>Chen</i>"])
    try:
        wang, li, chen = room.phones.values()
        room.go(SCRIPT)
        for _ in range(int(cue.at)):  # the facilitator reads on, line by line
            kind_button(room.control, room, "case.next_line").click()
            expect(room.control.locator(".case-position")).to_contain_text(
                room.t("case.line_of", n=_ + 2, total=len(config.script.lines))
            )
        for phone in room.phones.values():  # every phone shows the line on screen
            expect(phone.locator(".case-now-text")).to_have_text(line.text.get(lang))
        expect(room.screen.locator(".case-line")).to_contain_text(line.text.get(lang))

        comment = "他只要终点" if lang == "zh-CN" else "wants the endpoint"
        tap(wang, "data-cue", comment)
        tap(li, "data-cue")
        tap(chen, "data-cue")
        tap(chen, "vision-cue")  # a slip...
        expect(my_tags(chen)).to_have_count(2)
        chen.locator("[data-case-undo]").first.click()  # ...taken back (the newest is first)
        expect(my_tags(chen)).to_have_count(1)
        expect(my_tags(wang)).to_contain_text(comment)
        expect(wang.locator(".case-comment")).to_have_value("")  # sent with the tag, then cleared
        expect(room.screen.locator(".case-taggers")).to_contain_text(room.t("case.taggers", n=3))
        # a tap lost on its way (a link that died unnoticed) is sent again when the phone reconnects
        li.evaluate("window.kamLive.send = function () { return true; }")
        tap(li, "people-cue")
        li.wait_for_timeout(500)
        expect(my_tags(li)).to_have_count(1)
        li.reload()
        expect(my_tags(li)).to_have_count(2)
        server.restart()  # the server dies mid-case: every tag and the line on screen survive it
        for phone, count in ((wang, 1), (li, 2), (chen, 1)):
            expect(my_tags(phone)).to_have_count(count)
        expect(room.screen.locator(".case-line")).to_contain_text(line.text.get(lang))
        expect(room.screen.locator(".case-taggers")).to_contain_text(room.t("case.taggers", n=3))
        kind_button(room.control, room, "case.next_line").click()  # one more line, another tag
        tap(li, "missed-signal")
        expect(my_tags(li)).to_have_count(3)
        shots and wang.screenshot(path=str(shots / f"case-script-phone-{lang}.png"))

        # the debrief: the timeline on the projector, the expert beside the room, the peak
        room.control.get_by_role("button", name=room.t("case.show_timeline")).click()
        room.control.locator(".phases button").nth(1).click()  # closed
        peak = room.screen.locator(".tl-total li.peak")
        expect(peak).to_have_count(1)
        expect(room.screen.locator(".tl-note").first).to_be_visible()  # the expert's annotations
        peak.locator(".tl-bar").click()  # on the projector itself
        focus = room.screen.locator("#case-focus")
        expect(focus).to_contain_text(line.text.get(lang))
        expect(focus).to_contain_text(comment)
        expect(focus).to_contain_text(cue.note.get(lang))
        expect(room.screen.locator(".case-line")).to_contain_text(line.text.get(lang))
        expect(room.control.locator(".case-position")).to_contain_text(
            room.t("case.line_of", n=int(cue.at) + 1, total=len(config.script.lines))
        )
        expect(room.screen.locator("#case-focus")).not_to_contain_text("王芳")  # no names on the screen
        expect(room.control.locator("#case-focus")).to_contain_text("王芳")
        shots and room.screen.screenshot(path=str(shots / f"case-script-screen-{lang}.png"))
        assert not screen_problems(room.screen)  # all of it readable from the back row

        room.control.get_by_role("button", name=room.t("case.award", n=config.points)).click()
        expect(room.control.get_by_role("button", name=room.t("case.awarded"))).to_be_disabled()
        total = len(config.annotations)
        expect(wang.locator(".case-result")).to_contain_text(
            room.t("case.my_result", hits=1, total=total, points=config.points)
        )
        # Li's missed signal is on the line after the data cue: it counts only if the expert saw one near
        expect(chen.locator(".case-result")).to_contain_text(
            room.t("case.my_result", hits=1, total=total, points=config.points)
        )
        chen.locator(".case-expert summary").click()  # the expert's reading, with what Chen saw
        expect(chen.locator(".case-expert li.met")).to_contain_text(cue.note.get(lang))
        shots and room.control.screenshot(path=str(shots / f"case-script-control-{lang}.png"), full_page=True)
        shots and chen.screenshot(path=str(shots / f"case-script-result-{lang}.png"))
    finally:
        room.close()


def video_time(page: Page) -> float:
    return page.evaluate("document.querySelector('[data-case-video]').currentTime")


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_a_video_case_uploaded_played_and_seeked_on_the_projector(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, ["王芳", "Li Qiang"])
    try:
        wang, li = room.phones.values()
        room.go(VIDEO)
        expect(room.screen.locator(".case-waiting")).to_have_text(room.t("case.no_video_yet"))
        room.control.locator("[data-case-file]").set_input_files(str(CLIP))
        # the phones offer no tags before there is a video to watch
        expect(li.locator(".case-own .hint")).to_have_text(room.t("case.video_coming"))
        expect(li.locator("[data-case-tap]")).to_have_count(0)
        # the control page is updated while the file is chosen (the timeline shown and hidden
        # again): the choice survives the update
        room.control.locator(".case-media").evaluate("box => box.dataset.before = 'update'")
        timeline = room.control.locator(".case-actions button").first
        timeline.click()
        expect(timeline).to_have_attribute("aria-pressed", "true")
        timeline.click()
        expect(timeline).to_have_attribute("aria-pressed", "false")
        expect(room.control.locator(".case-media[data-before]")).to_have_count(0)
        room.control.locator("[data-case-send]").click()
        expect(room.control.locator(".case-media")).to_contain_text("clip.webm")
        video = room.screen.locator("[data-case-video]")
        expect(video).to_be_attached()
        room.screen.mouse.click(5, 5)  # a projector page someone has clicked on may play a film

        kind_button(room.control, room, "case.play").click()
        room.screen.wait_for_function(
            "() => { const v = document.querySelector('[data-case-video]');"
            " return v && !v.paused && v.currentTime > 1 }"
        )
        # the projector told the server the film's length
        expect(room.control.locator(".case-position")).to_contain_text("/ 0:20")
        expect(wang.locator(".video-now")).to_contain_text("▶")
        kind_button(room.control, room, "case.pause").click()  # "did you see that?"
        expect(wang.locator(".video-now")).to_contain_text("‖")
        said = "问数据" if lang == "zh-CN" else "asks for data"
        tap(wang, "data-cue", said)
        tap(li, "data-cue")
        expect(my_tags(wang)).to_have_count(1)
        expect(my_tags(li)).to_have_count(1)
        kind_button(room.control, room, "case.play").click()
        room.screen.wait_for_function("() => !document.querySelector('[data-case-video]').paused")

        # seek from the control page: the projector's film goes there
        seek = room.control.locator(".case-seek input[type=range]")
        seek.evaluate("(el) => { el.value = 12; el.dispatchEvent(new Event('change', {bubbles: true})) }")
        room.screen.wait_for_function(
            "() => { const t = document.querySelector('[data-case-video]').currentTime;"
            " return t >= 12 && t < 15 }"
        )
        tap(li, "missed-signal")
        kind_button(room.control, room, "case.pause").click()
        room.screen.wait_for_function("() => document.querySelector('[data-case-video]').paused")
        expect(wang.locator(".video-now")).to_contain_text("‖")
        paused_at = video_time(room.screen)

        # a projector that reloads comes back where the film was
        room.screen.reload()
        room.screen.wait_for_function(
            "(at) => { const v = document.querySelector('[data-case-video]');"
            " return v && v.readyState >= 1 && Math.abs(v.currentTime - at) < 1.5 }",
            arg=paused_at,
        )
        shots and room.screen.screenshot(path=str(shots / f"case-video-screen-{lang}.png"))
        shots and wang.screenshot(path=str(shots / f"case-video-phone-{lang}.png"))

        # the debrief: close, timeline, the peak, points for the tags near the expert's
        room.control.get_by_role("button", name=room.t("case.show_timeline")).click()
        room.control.locator(".phases button").nth(1).click()
        peak = room.screen.locator(".tl-total li.peak")
        expect(peak).to_have_count(1)
        peak.locator(".tl-bar").click()
        room.screen.wait_for_function("() => document.querySelector('[data-case-video]').currentTime < 6")
        expect(room.screen.locator("#case-focus")).to_contain_text(said)
        room.control.get_by_role("button", name=room.t("case.award", n=5)).click()
        result = room.t("case.my_result", hits=1, total=2, points=5)
        expect(wang.locator(".case-result")).to_contain_text(result)
        shots and room.screen.screenshot(path=str(shots / f"case-video-timeline-{lang}.png"))
        assert not screen_problems(room.screen)
        shots and room.control.screenshot(path=str(shots / f"case-video-control-{lang}.png"), full_page=True)

        room.control.once("dialog", lambda dialog: dialog.accept())
        room.control.get_by_role("button", name=room.t("case.delete_video")).click()
        expect(room.screen.locator(".case-waiting")).to_be_visible()
    finally:
        room.close()

"""A brainstorm in the browser: while the facilitator chooses two ideas to merge, the room keeps
posting; the updates of the control page must not undo the choice."""

import pytest
from playwright.sync_api import expect

from tests.support.browser import open_room
from tests.support.content import IDEAS, brainstorm_content
from tests.support.server import running_server


@pytest.fixture
def server(tmp_path):
    with running_server(tmp_path, brainstorm_content(tmp_path)) as running:
        yield running


def post(phone, text: str) -> None:
    phone.locator(".idea-form textarea").fill(text)
    phone.locator(".idea-form button[type=submit]").click()


@pytest.mark.parametrize("lang", ["zh-CN"])
def test_a_merge_being_chosen_survives_the_room_posting(server, browser, shots, lang):
    room = open_room(browser, server.url, lang, ["王芳", "Li Qiang"])
    try:
        wang, li = room.phones.values()
        room.go(IDEAS)
        post(wang, "每周复盘一次拜访")
        post(li, "拜访前写下一个目标")
        moderation = room.control.locator(".ideas-moderation li")
        expect(moderation).to_have_count(2)
        merge = room.control.locator(".merge-form")
        merge.locator("select[name=idea]").select_option(label="#2 拜访前写下一个目标")
        merge.locator("select[name=into]").select_option(label="#1 每周复盘一次拜访")

        post(wang, "<b>带数据</b>去拜访")  # the control page is redrawn with a third idea
        expect(moderation).to_have_count(3)
        expect(merge.locator("select[name=idea] option")).to_have_count(3)
        expect(merge.locator("select[name=idea]")).to_have_value(
            merge.locator("select[name=idea] option").nth(1).get_attribute("value")
        )
        expect(merge.locator("select[name=into]")).to_have_value(
            merge.locator("select[name=into] option").nth(0).get_attribute("value")
        )
        expect(moderation.nth(2)).to_contain_text("<b>带数据</b>去拜访")  # escaped, as typed

        merge.get_by_role("button", name=room.t("brainstorm.merge")).click()
        expect(moderation.nth(1)).to_contain_text(room.t("brainstorm.merged_label", n=1))
        expect(li.locator(".ideas li")).to_have_count(2)  # the merged idea left the phones' list
        shots and room.control.screenshot(path=str(shots / f"brainstorm-control-{lang}.png"))
    finally:
        room.close()

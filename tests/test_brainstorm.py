"""The brainstorm kind: ideas, upvotes (one per person, never one's own), hide, pin and merge."""

import re

import pytest
from sqlmodel import Session

from app.errors import ServiceError
from app.live import responses, sessions
from app.modules.brainstorm import board, hide, merge, pin
from tests.support.clients import ORIGIN, join, post_action, post_in_parallel
from tests.support.content import IDEAS, brainstorm_content
from tests.support.html import elements, texts
from tests.support.i18n import t, t_start
from tests.support.ws import receive_until


@pytest.fixture
def settings(settings, tmp_path):
    return settings.model_copy(update={"content_dir": brainstorm_content(tmp_path)})


@pytest.fixture
def ideas_open(trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": IDEAS})
    return session_id, code


def act(phone, code, name, status=200, **data):
    return post_action(phone, code, name, IDEAS, status, **data)


def ideas(app, session_id) -> list:
    with Session(app.state.engine) as db:
        return board(db, session_id, IDEAS)


def idea_of(app, session_id, text):
    return next(i for i in ideas(app, session_id) if i.text == text)


def vote(phone, code, idea, on=True, status=200):
    return act(phone, code, "vote", status, idea=idea.id, on=str(on).lower())


def screen_ideas(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'class="idea-votes">(\d+) 票</span>\s*<span class="idea-text">(?:<span[^>]*>[^<]*'
        r"</span> )?([^<]*)<",
        page,
    )


def test_posting_is_idempotent_and_limited(app, ideas_open):
    session_id, code = ideas_open
    phone = join(app, code, "甲")
    for text in ["每次拜访前写下目标", "每次拜访前写下目标", " 每次拜访前写下目标\n"]:
        act(phone, code, "post", text=text)
    act(phone, code, "post", text="说到做到，当天回复")
    assert sorted(i.text for i in ideas(app, session_id)) == ["每次拜访前写下目标", "说到做到，当天回复"]
    assert t("brainstorm.error.too_many", max=2) in act(phone, code, "post", 400, text="第三条")
    other = join(app, code, "乙")
    assert t("brainstorm.error.too_long", max=140) in act(other, code, "post", 400, text="长" * 141)
    assert t("brainstorm.error.empty") in act(other, code, "post", 400, text="  \n ")


def test_ideas_posted_at_once_from_one_seat_keep_the_limit(app, ideas_open):
    session_id, code = ideas_open
    phone = join(app, code, "两个标签页")
    texts_sent = [f"想法{n}" for n in range(6)]
    replies = post_in_parallel(code, "post", IDEAS, [(phone, {"text": text}) for text in texts_sent])
    answered = {text for text, r in zip(texts_sent, replies, strict=True) if r.status_code == 200}
    assert {i.text for i in ideas(app, session_id)} == answered and len(answered) == 2


def test_upvotes_toggle_count_once_and_never_for_oneself(app, ideas_open):
    session_id, code = ideas_open
    author, voter = join(app, code, "甲"), join(app, code, "乙")
    act(author, code, "post", text="先听后说")
    idea = idea_of(app, session_id, "先听后说")
    for _ in range(2):  # a double tap asks for the same state twice: one vote
        page = vote(voter, code, idea)
    assert idea_of(app, session_id, "先听后说").votes == 1
    assert elements(page, ".vote[value=false][aria-pressed=true]")
    vote(voter, code, idea, on=False)  # tapping again takes it back
    assert idea_of(app, session_id, "先听后说").votes == 0
    assert t("brainstorm.error.own_idea") in vote(author, code, idea, status=400)
    mine = author.get(f"/play/{code}").text
    assert t("brainstorm.yours") in texts(mine, ".badge-mine") and not elements(mine, ".vote")


def test_merge_counts_the_duplicates_votes_once(app, trainer, ideas_open, db, course):
    session_id, code = ideas_open
    first, second, third = (join(app, code, name) for name in "甲乙丙")
    act(first, code, "post", text="拜访前做准备")
    act(second, code, "post", text="每次拜访都要准备")
    a, b = idea_of(app, session_id, "拜访前做准备"), idea_of(app, session_id, "每次拜访都要准备")
    vote(second, code, a)
    vote(third, code, a)
    vote(third, code, b)
    vote(first, code, b)  # a's author voted for b: it must not count as a vote for their own idea
    merge(db, sessions.get(db, session_id), course, IDEAS, b.id, a.id)
    merged = {i.text: i for i in ideas(app, session_id)}
    assert merged["拜访前做准备"].votes == 2 and not merged["每次拜访都要准备"].visible
    assert t("brainstorm.error.gone") in vote(third, code, b, on=False, status=409)
    with pytest.raises(ServiceError):  # round in a circle
        merge(db, sessions.get(db, session_id), course, IDEAS, a.id, b.id)
    undo = {"activity": IDEAS, "idea": b.id, "into": ""}  # the control page's button
    assert trainer.post(f"/control/{session_id}/kind/merge", data=undo).status_code == 200
    assert idea_of(app, session_id, "拜访前做准备").votes == 2
    assert (
        idea_of(app, session_id, "每次拜访都要准备").votes == 2
        and idea_of(app, session_id, "每次拜访都要准备").visible
    )


def test_screen_ranks_by_votes_pinned_first_hidden_never(app, trainer, ideas_open, db, course):
    session_id, code = ideas_open
    phones = [join(app, code, name) for name in "甲乙丙丁"]
    for phone, text in zip(phones, ["倾听", "跟进", "<script>alert(1)</script>", "准备"], strict=True):
        act(phone, code, "post", text=text)
    listen, follow = idea_of(app, session_id, "倾听"), idea_of(app, session_id, "跟进")
    for phone in phones[1:]:
        vote(phone, code, listen)
    vote(phones[0], code, follow)
    pin(db, sessions.get(db, session_id), course, IDEAS, idea_of(app, session_id, "准备").id, True)
    pinned = {"activity": IDEAS, "idea": follow.id, "on": "true"}  # the control page's button
    assert trainer.post(f"/control/{session_id}/kind/pin", data=pinned).status_code == 200
    session, script = sessions.get(db, session_id), idea_of(app, session_id, "<script>alert(1)</script>")
    hide(db, session, course, IDEAS, script.id, True)
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert screen_ideas(screen) == [("1", "跟进"), ("0", "准备"), ("3", "倾听")]
    assert "alert(1)" not in screen and "alert(1)" not in phones[1].get(f"/play/{code}").text
    hide(db, session, course, IDEAS, script.id, False)
    screen = trainer.get(f"/screen/{session_id}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in screen and "<script>alert" not in screen
    control = trainer.get(f"/control/{session_id}").text
    assert f'hx-post="/control/{session_id}/kind/pin"' in control and "kind/merge" in control


def test_open_answer_close_reveal(app, trainer, ideas_open):
    session_id, code = ideas_open
    author, voter = join(app, code, "甲"), join(app, code, "乙")
    page = act(author, code, "post", text="提前约好拜访时间")
    assert "提前约好拜访时间" in page and t_start("brainstorm.left", n=1) in page
    assert "提前约好拜访时间" in voter.get(f"/play/{code}").text  # everyone sees the ideas
    screen = trainer.get(f"/screen/{session_id}").text
    assert (
        "top-ideas" not in screen and t("brainstorm.count", ideas=1, people=1) in screen
    )  # hidden until revealed
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    assert t("activity.error.closed") in act(author, code, "post", 409, text="再来一条")
    assert t("activity.error.closed") in vote(
        voter, code, idea_of(app, session_id, "提前约好拜访时间"), status=409
    )
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    assert screen_ideas(trainer.get(f"/screen/{session_id}").text) == [("0", "提前约好拜访时间")]


def test_double_submit_counts_once(app, ideas_open, db):
    session_id, code = ideas_open
    phone = join(app, code, "甲")
    for _ in range(3):
        act(phone, code, "post", text="Listen first")
    act(phone, code, "post", text="ＬＩＳＴＥＮ  FIRST")  # width, case and spacing folded
    assert [r.value["text"] for r in responses.every(db, session_id, IDEAS)] == ["Listen first"]


def test_a_reconnecting_trainee_sees_their_own_ideas(app, ideas_open):
    session_id, code = ideas_open
    phone = join(app, code, "甲")
    act(phone, code, "post", text="每周复盘一次")
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "data-snapshot")  # the room's stage, then their own part
        own = receive_until(ws, 'id="play-own"')
        assert "每周复盘一次" in texts(own, "li.idea.mine > p.idea-text")


def test_at_the_reveal_each_connected_trainee_sees_their_own_ideas_marked(app, trainer, ideas_open):
    """The own parts of a room rendered together: each trainee's ideas from the one read of all."""
    session_id, code = ideas_open
    phones = {name: join(app, code, name) for name in ("甲", "乙", "丙")}
    act(phones["甲"], code, "post", text="先听后说")
    act(phones["乙"], code, "post", text="当天回复")
    vote(phones["丙"], code, idea_of(app, session_id, "先听后说"))
    with (
        phones["甲"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as first,
        phones["乙"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as second,
        phones["丙"].websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as third,
    ):
        sockets = (first, second, third)
        for ws in sockets:
            receive_until(ws, 'id="play-own"')
        trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
        owns = [receive_until(ws, 'class="idea-votes"') for ws in sockets]
    assert [texts(own, "li.idea.mine > p.idea-text") for own in owns] == [["先听后说"], ["当天回复"], []]
    assert all(len(elements(own, "li.idea")) == 2 for own in owns)

"""Case analysis: stamping a tag with the case position, undo, the timeline, scoring against the
expert's annotations (with a property test), the clock and the projector's reports (services);
tags over the websocket, the facilitator's commands, points once; the video upload (wrong type,
too large, a path in the name) and range requests (HTTP)."""

import io
import itertools
import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlmodel import Session

from app.course.loader import ContentErrors, load_courses
from app.kinds import KINDS
from app.live import sessions
from app.modules.case import tags
from app.modules.case.config import CaseConfig
from app.modules.case.playhead import PlayHead
from app.points import ledger
from tests.support.case_content import ROOT, SCRIPT, VIDEO, case_content
from tests.support.clients import join, post_in_parallel, seat_id
from tests.support.html import elements, texts
from tests.support.i18n import t
from tests.support.ws import HEADERS, receive_until

SCRIPT_ID, VIDEO_ID = "t-script", "u3-video-case"
# A few bytes that are an MP4 by their content (an ISO base media `ftyp` box), then padding.
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(range(256)) * 400
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 5000
CLIP = (ROOT / "tests" / "e2e" / "clip.webm").read_bytes()


@pytest.fixture
def settings(settings, tmp_path):
    return settings.model_copy(update={"content_dir": case_content(tmp_path), "media_max_mb": 1})


def script_config(**changes) -> CaseConfig:
    fields = {k: v for k, v in SCRIPT.items() if k not in ("id", "kind", "title", "minutes")}
    return CaseConfig.model_validate({**fields, **changes})


def video_config(notes, tolerance=3.0) -> CaseConfig:
    fields = {k: v for k, v in VIDEO.items() if k not in ("id", "kind", "title", "minutes")}
    return CaseConfig.model_validate({**fields, "tolerance": tolerance, "video": {"notes": notes}})


def tag(kind: str, at: float, n: int = 1, comment: str = "") -> dict:
    return {"n": n, "tag": kind, "at": at, "comment": comment, "t": 0}


# ---- services ---------------------------------------------------------------------------------


def test_a_video_tap_is_stamped_where_the_phone_saw_it_if_that_is_believable():
    config, now = video_config([]), 1000.0
    clock = PlayHead(at=40.0, playing=True, since=now - 20)  # at 60 s now
    assert tags.stamp(config, clock, None, now) == 60.0
    assert tags.stamp(config, clock, 57.5, now) == 57.5  # the link was slow: the phone's moment
    assert tags.stamp(config, clock, 20.0, now) == 60.0  # far behind: not believable
    assert tags.stamp(config, clock, 75.0, now) == 60.0  # ahead of the case: not believable
    assert tags.stamp(config, PlayHead(at=12.0), 11.0, now) == 11.0  # paused: what was on screen


def test_a_script_tap_is_stamped_with_the_line_on_screen_or_one_just_before():
    config = script_config()
    clock = PlayHead(at=4.0)
    assert tags.stamp(config, clock, None) == 4.0
    assert tags.stamp(config, clock, 3.0) == 3.0  # the line changed while the tap travelled
    assert tags.stamp(config, clock, 0.0) == 4.0
    assert tags.stamp(config, clock, 5.0) == 4.0  # a line not shown yet


def test_the_clock_runs_while_playing_and_believes_the_projector_only_when_it_disagrees():
    clock = PlayHead().command(10.0, True, now=100.0)
    assert clock.rev == 1 and clock.position(now=105.0) == 15.0
    assert clock.report(15.2, True, rev=1, now=105.0) is None  # agrees: nothing to write
    assert clock.report(15.0, True, rev=0, now=105.0) is None  # made before the last command
    stalled = clock.report(12.0, True, rev=1, now=105.0)  # buffering: the film is behind
    assert stalled.position(now=105.0) == 12.0 and stalled.rev == 1
    ended = clock.report(30.0, False, rev=1, duration=30.0, now=125.0)
    assert not ended.playing and ended.position(now=500.0) == 30.0 and ended.duration == 30.0
    assert PlayHead(at=29.0, playing=True, since=0, duration=30.0).position(now=100.0) == 30.0


def test_the_timeline_counts_the_room_per_tag_kind_and_finds_the_peaks():
    config = script_config()
    room = {
        1: [tag("data-cue", 1, 1), tag("data-cue", 3, 2, "只要数据")],
        2: [tag("data-cue", 1, 1), tag("missed-signal", 2, 2)],
        3: [tag("data-cue", 1, 1, "问终点"), tag("people-cue", 5, 2)],
    }
    bins = tags.timeline(config, PlayHead(), room)
    assert len(bins) == 6  # a bin per line
    assert bins[1].counts == {"data-cue": 3} and bins[1].total == 3
    assert bins[1].comments == [(3, "data-cue", "问终点")]
    assert [n.tag for n in bins[2].notes] == ["missed-signal"]
    assert tags.peaks(bins) == [1]  # one bin tagged at least twice

    video = video_config([{"at": 100.0, "tag": "data-cue", "note": {"zh-CN": "x", "en": "x"}}])
    bins = tags.timeline(
        video, PlayHead(duration=180.0), {1: [tag("data-cue", 101.5), tag("data-cue", 179.9)]}
    )
    assert len(bins) == 60 and bins[0].end == 3.0  # 60 bins of 3 s
    assert bins[33].counts["data-cue"] == 1 and bins[33].notes and bins[59].total == 1


def test_scoring_counts_each_expert_annotation_met_once():
    config = script_config()  # annotations: data-cue 1, missed-signal 2, data-cue 3, people-cue 5
    assert tags.score(config, []) == 0
    assert tags.score(config, [tag("data-cue", 1)]) == 5  # line 1; line 3 is two lines away
    assert tags.score(config, [tag("data-cue", 2)]) == 10  # within one line of both data cues
    assert tags.score(config, [tag("people-cue", 1)]) == 0  # the wrong kind
    assert tags.score(config, [tag("missed-signal", 2), tag("missed-signal", 2, 2)]) == 5  # once
    assert len(tags.matched(config, [tag("people-cue", 4), tag("data-cue", 0)])) == 2


positions = st.floats(min_value=0, max_value=600, allow_nan=False)


@st.composite
def expert_and_room(draw):
    """Expert annotations of one kind spread more than twice the tolerance apart, and tags that
    sit exactly on an annotation or well away from every one."""
    tolerance = draw(st.floats(min_value=0.5, max_value=10))
    starts = sorted(draw(st.lists(positions, min_size=1, max_size=8, unique=True)))
    notes = [starts[0]]
    for at in starts[1:]:
        if at - notes[-1] > 2 * tolerance + 0.01:
            notes.append(at)
    two = st.sampled_from(["data-cue", "people-cue"])
    kinds = draw(st.lists(two, min_size=len(notes), max_size=len(notes)))
    on = draw(st.lists(st.sampled_from(range(len(notes))), max_size=6))
    room = [tag(kinds[i], notes[i]) for i in on]
    for at in draw(st.lists(positions, max_size=6)):
        if all(abs(at - n) > 2 * tolerance + 0.01 for n in notes):
            room.append(tag(draw(two), at))
    below_one = st.floats(min_value=-0.999, max_value=0.999)
    shifts = draw(st.lists(below_one, min_size=len(room), max_size=len(room)))
    note_list = [
        {"at": at, "tag": kind, "note": {"zh-CN": "x", "en": "x"}}
        for at, kind in zip(notes, kinds, strict=True)
    ]
    return video_config(note_list, tolerance), room, [s * tolerance for s in shifts]


@hypothesis_settings(max_examples=300, deadline=None)
@given(expert_and_room())
def test_shifting_every_tag_by_less_than_the_tolerance_never_changes_the_score(case):
    config, room, shifts = case
    moved = [{**t, "at": t["at"] + shift} for t, shift in zip(room, shifts, strict=True)]
    assert tags.score(config, moved) == tags.score(config, room)


def test_a_case_needs_one_source_and_known_tags():
    with pytest.raises(ValueError, match="either"):
        script_config(video={"notes": []})
    with pytest.raises(ValueError, match="unknown tag"):
        video_config([{"at": 1, "tag": "nope", "note": {"zh-CN": "x", "en": "x"}}])
    with pytest.raises(ValueError, match="whole lines"):
        script_config(tolerance=1.5)


def test_the_sample_scripts_are_three_to_five_minute_calls_with_expert_annotations():
    course = load_courses(ROOT / "content", KINDS)["kam"]
    scripts = [a for a in course.activities if a.kind == "case" and a.config.script is not None]
    assert len(scripts) >= 2
    units = {course.unit_of(a.id).id for a in scripts}
    assert len(units) >= 2  # Units 3 and 4
    for activity in scripts:
        config: CaseConfig = activity.config
        assert 180 <= config.running_seconds <= 300, activity.id
        assert config.style and config.stage and config.debrief
        assert len(config.annotations) >= 8
        assert {"rep", "doctor"} == {line.speaker for line in config.script.lines}


def test_every_adverse_event_in_a_sample_script_is_tagged_and_reported_by_the_rep():
    """RDPAC / IFPMA: a suspected side effect a rep hears, even second-hand, goes to
    pharmacovigilance within the company's timeline. The room can tag it, the expert's note says so,
    and the rep says so on the spot, so no case teaches letting one pass."""
    course = load_courses(ROOT / "content", KINDS)["kam"]
    process: CaseConfig = next(a.config for a in course.activities if a.id == "u4-case-script")
    assert process.tag("adverse-event").label.get("zh-CN") == "不良事件"
    lines = process.script.lines
    second_hand = next(i for i, line in enumerate(lines) if "病人说肚子不舒服" in line.text.get("zh-CN"))
    events = [m for m in process.annotations if m.tag == "adverse-event"]
    assert len(events) >= 2 and second_hand in {int(m.at) for m in events}
    for activity in course.activities:
        if activity.kind != "case" or activity.config.script is None:
            continue
        config: CaseConfig = activity.config
        for event in (m for m in config.annotations if m.tag == "adverse-event"):
            assert "药物警戒" in event.note.get("zh-CN") and "pharmacovigilance" in event.note.get("en")
            after = config.script.lines[int(event.at) : int(event.at + config.tolerance) + 1]
            assert any(
                line.speaker == "rep"
                and "药物警戒" in line.text.get("zh-CN")
                and "pharmacovigilance" in line.text.get("en")
                for line in after
            ), (activity.id, int(event.at))


# ---- over HTTP and the websocket ----------------------------------------------------------------


def go(trainer, session_id, activity):
    assert trainer.post(f"/control/{session_id}/go", data={"activity": activity}).status_code == 200


def command(trainer, session_id, name, activity, **data):
    response = trainer.post(f"/control/{session_id}/kind/{name}", data={"activity": activity, **data})
    assert response.status_code == 200, response.text
    return response.text


def rev_of(app, session_id, activity) -> int:
    return clock_of(app, session_id, activity).rev


def clock_of(app, session_id, activity) -> PlayHead:
    with Session(app.state.engine) as db:
        return PlayHead.of(sessions.activity_state(db, session_id, activity).data)


def my_tags(app, session_id, activity) -> dict[int, list[dict]]:
    with Session(app.state.engine) as db:
        return tags.everyone(db, session_id, activity)


def send(ws, expect='id="play-own"', **message) -> str:
    """Send an action over the trainee's socket; the reply is their own part, or a toast."""
    ws.send_text(json.dumps(message))
    return receive_until(ws, expect)


def test_a_script_case_with_three_trainees_tagging_over_the_websocket(app, trainer, live):
    session_id, code = live
    phones = {name: join(app, code, name) for name in ("阿明", "Bea", "<b>Cy</b>")}
    go(trainer, session_id, SCRIPT_ID)
    command(trainer, session_id, "next", SCRIPT_ID, rev=0)  # line 2: "主要终点是什么？"
    with (
        phones["阿明"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ming,
        phones["Bea"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as bea,
        phones["<b>Cy</b>"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as cy,
    ):
        for ws in (ming, bea, cy):
            receive_until(ws, "主要终点是什么")  # every phone knows the line on screen...
            receive_until(ws, 'id="play-own"')  # ...then gets its own part: replies come after it
        reply = send(ming, action="tag", activity=SCRIPT_ID, tag="data-cue", comment="他要终点数据", seen=1)
        assert "他要终点数据" in reply and t("case.line", n=2) in reply
        send(ming, action="tag", activity=SCRIPT_ID, tag="data-cue", seen=1)  # a double tap
        for _ in range(2):  # a tap sent again after a dropped link: the same key, kept once
            send(bea, action="tag", activity=SCRIPT_ID, tag="people-cue", seen=1, key="k1-again")
        send(bea, action="tag", activity=SCRIPT_ID, tag="data-cue", seen=1)
        send(cy, action="tag", activity=SCRIPT_ID, tag="people-cue", comment="<script>x</script>", seen=1)
        command(trainer, session_id, "next", SCRIPT_ID, rev=1)
        command(trainer, session_id, "next", SCRIPT_ID, rev=1)  # a double click: moves once
        assert clock_of(app, session_id, SCRIPT_ID).at == 2
        send(bea, action="tag", activity=SCRIPT_ID, tag="missed-signal", seen=2)
        send(cy, action="untag", activity=SCRIPT_ID, n=1)  # takes back their own
        send(bea, action="untag", activity=SCRIPT_ID, n=1)  # (the people cue: her first)
        assert t("activity.error.invalid") in send(
            bea, 'id="toast"', action="tag", activity=SCRIPT_ID, tag="nope"
        )
        assert "60" in send(
            ming, 'id="toast"', action="tag", activity=SCRIPT_ID, tag="data-cue", comment="很" * 61
        )
        send(ming, 'id="toast"', action="dance")  # an unknown action
        ming.send_text("{not json")
        assert elements(receive_until(ming, "toast"), "#toast")

    room = my_tags(app, session_id, SCRIPT_ID)
    people = {p: [(t["tag"], t["at"]) for t in ts] for p, ts in room.items()}
    assert sorted(people.values()) == [[], [("data-cue", 1.0)], [("data-cue", 1.0), ("missed-signal", 2.0)]]

    control = trainer.get(f"/control/{session_id}").text
    assert (
        t("case.taps", n=3) in control and "他要终点数据" not in control
    )  # comments show where they were made
    command(trainer, session_id, "jump", SCRIPT_ID, rev=2, at=1)
    control = trainer.get(f"/control/{session_id}").text
    assert "他要终点数据" in control and "阿明" in control  # the facilitator sees who said it
    assert clock_of(app, session_id, SCRIPT_ID).at == 1
    screen = trainer.get(f"/screen/{session_id}").text
    assert "他要终点数据" in screen and "阿明" not in screen  # the projector does not name people
    assert "<script>x</script>" not in screen

    # points: only once closed, once
    response = trainer.post(f"/control/{session_id}/kind/award", data={"activity": SCRIPT_ID})
    assert response.status_code == 409
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    command(trainer, session_id, "award", SCRIPT_ID)
    command(trainer, session_id, "award", SCRIPT_ID)
    with Session(app.state.engine) as db:
        by_person = {pid: sum(e.points for e in ledger.history(db, session_id, pid)) for pid in room}
    assert sorted(by_person.values()) == [0, 5, 10]  # Bea: data cue + missed signal; 阿明: one
    book = load_workbook(io.BytesIO(trainer.get(f"/control/{session_id}/export/workbook.xlsx").content))
    rows = [[c.value for c in row] for row in book["案例标签"].iter_rows(min_row=2)]
    no_team, yes = t("export.no_team"), t("export.yes")
    assert ["测试剧本", "阿明", no_team, t("case.line", n=2), "数据型线索", "他要终点数据", yes] in rows
    assert ["测试剧本", "Bea", no_team, t("case.line", n=3), "错过信号", None, yes] in rows and len(rows) == 3
    page = phones["Bea"].get(f"/play/{code}").text
    assert "2 / 4" in page and "10 分" in page
    with phones["Bea"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as bea:
        assert t("activity.error.closed") in send(
            bea, 'id="toast"', action="tag", activity=SCRIPT_ID, tag="data-cue"
        )


def test_a_new_line_sends_every_phone_its_own_tags(app, trainer, live):
    session_id, code = live
    names = ("阿明", "Bea", "Cy", "Dee")
    phones = {name: join(app, code, name) for name in names}
    go(trainer, session_id, SCRIPT_ID)
    with (
        phones["阿明"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ming,
        phones["Bea"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as bea,
        phones["Cy"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as cy,
        phones["Dee"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as dee,
    ):
        sockets = {"阿明": ming, "Bea": bea, "Cy": cy, "Dee": dee}
        for ws in sockets.values():
            receive_until(ws, 'id="play-own"')  # connected: the stage, then their own part
        send(ming, action="tag", activity=SCRIPT_ID, tag="data-cue", comment="明的话", seen=0)
        send(bea, action="tag", activity=SCRIPT_ID, tag="people-cue", comment="Bea 的话", seen=0)
        command(trainer, session_id, "next", SCRIPT_ID, rev=0)  # the stage changes: every own part
        for ws in sockets.values():
            receive_until(ws, "主要终点是什么")
        own = {
            name: elements(receive_until(ws, 'id="play-own"'), "#play-own")[0] for name, ws in sockets.items()
        }
    assert texts(own["阿明"], ".case-said") == ["明的话"] and texts(own["Bea"], ".case-said") == ["Bea 的话"]
    for name in ("Cy", "Dee"):  # nothing tagged: the buttons and an empty box, nobody's tags
        assert not elements(own[name], ".case-mine") and elements(own[name], "#case-comment-0")
        assert len(elements(own[name], "[data-case-tap]")) == len(SCRIPT["tags"])


def test_the_projector_reports_and_a_reconnecting_projector_resumes(app, trainer, live):
    session_id, _code = live
    go(trainer, session_id, VIDEO_ID)
    upload = trainer.post(
        f"/control/{session_id}/case/{VIDEO_ID}/media", content=MP4, headers={"X-File-Name": "call.mp4"}
    )
    assert upload.status_code == 200, upload.text
    rev = rev_of(app, session_id, VIDEO_ID)
    command(trainer, session_id, "seek", VIDEO_ID, rev=rev, at=20)
    command(trainer, session_id, "play", VIDEO_ID, rev=rev + 1)
    url = f"/control/{session_id}/case/{VIDEO_ID}/position"
    report = {"rev": rev + 2, "at": 20.1, "playing": True, "duration": 95.0}
    assert trainer.post(url, content=json.dumps(report)).status_code == 204
    assert clock_of(app, session_id, VIDEO_ID).duration == 95.0  # news: the length
    stamp = clock_of(app, session_id, VIDEO_ID).since
    trainer.post(url, content=json.dumps({**report, "at": 20.2}))
    assert clock_of(app, session_id, VIDEO_ID).since == stamp  # agrees: nothing written
    trainer.post(url, content=json.dumps({**report, "rev": rev, "at": 70}))
    assert clock_of(app, session_id, VIDEO_ID).position() < 30  # stale: ignored
    trainer.post(url, content=json.dumps({**report, "at": 50.0, "playing": False}))
    assert clock_of(app, session_id, VIDEO_ID).position() == 50.0  # the projector paused there
    assert trainer.post(url, content="{bad").status_code == 400
    screen = trainer.get(f"/screen/{session_id}").text  # a projector that comes back
    assert elements(screen, "[data-at='50.00']") and elements(screen, "[data-playing=false]")


def upload(trainer, session_id: int) -> None:
    sent = trainer.post(
        f"/control/{session_id}/case/{VIDEO_ID}/media", content=MP4, headers={"X-File-Name": "call.mp4"}
    )
    assert sent.status_code == 200, sent.text


def test_a_video_case_without_its_video_says_so_and_offers_nothing_to_play_or_tap(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "Dee")
    go(trainer, session_id, VIDEO_ID)
    control = trainer.get(f"/control/{session_id}").text
    assert texts(control, ".case-media .warning") == [t("case.needs_video")]
    assert all("disabled" in b.attrs for b in elements(control, ".case-transport button"))
    play = {"activity": VIDEO_ID, "rev": rev_of(app, session_id, VIDEO_ID)}
    refused = trainer.post(f"/control/{session_id}/kind/play", data=play)
    assert refused.status_code == 409 and t("case.needs_video") in refused.text
    own = phone.get(f"/play/{code}").text
    assert not elements(own, "[data-case-tap]") and texts(own, ".case-own .hint") == [t("case.video_coming")]
    upload(trainer, session_id)
    control = trainer.get(f"/control/{session_id}").text
    assert not elements(control, ".case-media .warning")
    assert not any("disabled" in b.attrs for b in elements(control, ".case-transport button"))
    assert len(elements(phone.get(f"/play/{code}").text, "[data-case-tap]")) == len(VIDEO["tags"])


def test_a_video_case_counts_taps_in_seconds_and_scores_them(app, trainer, live):
    session_id, code = live
    phone = join(app, code, "Dee")
    go(trainer, session_id, VIDEO_ID)
    upload(trainer, session_id)
    rev = rev_of(app, session_id, VIDEO_ID)
    command(trainer, session_id, "seek", VIDEO_ID, rev=rev, at=3)
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        send(ws, action="tag", activity=VIDEO_ID, tag="data-cue", seen=2.5)
        command(trainer, session_id, "seek", VIDEO_ID, rev=rev + 1, at=30)
        reply = send(ws, "0:29", action="tag", activity=VIDEO_ID, tag="missed-signal", seen=29)
        assert "0:02" in reply  # newest first, each at the moment the phone saw
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    command(trainer, session_id, "award", VIDEO_ID)
    with Session(app.state.engine) as db:
        entries = ledger.history(db, session_id, next(iter(my_tags(app, session_id, VIDEO_ID))))
    assert [e.points for e in entries] == [5]  # the data cue at 2.5 s; the missed signal is 23 s late


def uploads(settings, session_id: int):
    return settings.data_dir / "sessions" / str(session_id) / "media"


def test_a_file_that_starts_like_a_video_and_goes_on_as_html_is_never_run_as_a_page(trainer, live):
    """Only the start of a file is checked, so such a file is accepted; it is served as a video
    that the browser may not sniff, under a policy that runs no script."""
    session_id, _ = live
    url = f"/control/{session_id}/case/{VIDEO_ID}/media"
    disguised = MP4[:64] + b"<html><script>alert(1)</script></html>"
    assert trainer.post(url, content=disguised, headers={"X-File-Name": "x.mp4"}).status_code == 200
    served = trainer.get(url)
    assert served.headers["content-type"] == "video/mp4"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in served.headers["content-security-policy"]


def test_uploads_are_checked_by_content_size_and_name(app, trainer, live, settings):
    session_id, code = live
    url = f"/control/{session_id}/case/{VIDEO_ID}/media"
    wrong = trainer.post(url, content=PNG, headers={"X-File-Name": "call.mp4"})
    assert wrong.status_code == 415 and "MP4" in wrong.json()["error"]
    big = trainer.post(url, content=MP4 * 20, headers={"X-File-Name": "big.mp4"})
    assert big.status_code == 413 and "1 MB" in big.json()["error"]
    for name in ("../../etc/passwd.mp4", "a/b.mp4", "c:\\x.mp4", "", ".hidden.mp4"):
        refused = trainer.post(url, content=MP4, headers={"X-File-Name": name})
        assert refused.status_code == 400 and t("case.media.bad_name") in refused.json()["error"], name
    assert not list(uploads(settings, session_id).glob("*"))  # nothing left behind
    assert (
        trainer.post(
            f"/control/{session_id}/case/{SCRIPT_ID}/media", content=MP4, headers={"X-File-Name": "x.mp4"}
        ).status_code
        == 404
    )  # a script case

    ok = trainer.post(url, content=MP4, headers={"X-File-Name": "%E6%8B%9C%E8%AE%BF.mp4"})
    assert ok.status_code == 200 and ok.json() == {"title": "拜访.mp4", "size": len(MP4), "type": "video/mp4"}
    stored = [p.name for p in uploads(settings, session_id).glob("*")]
    assert len(stored) == 1 and re.fullmatch(r"[0-9a-f]{32}\.mp4", stored[0])  # a random name

    media = f"/control/{session_id}/case/{VIDEO_ID}/media"
    whole = trainer.get(media)
    assert whole.status_code == 200 and whole.content == MP4
    assert whole.headers["content-type"] == "video/mp4"
    assert whole.headers["x-content-type-options"] == "nosniff"
    part = trainer.get(media, headers={"Range": "bytes=100-199"})
    assert part.status_code == 206 and part.content == MP4[100:200]
    assert part.headers["content-range"] == f"bytes 100-199/{len(MP4)}"
    tail = trainer.get(media, headers={"Range": "bytes=-10"})
    assert tail.status_code == 206 and tail.content == MP4[-10:]

    phone = join(app, code, "Eve")  # a trainee can neither fetch nor change it
    assert phone.get(media, follow_redirects=False).status_code in (303, 401, 403)
    assert phone.post(
        url, content=MP4, headers={"X-File-Name": "x.mp4"}, follow_redirects=False
    ).status_code in (303, 401, 403)

    again = trainer.post(url, content=MP4[:9000], headers={"X-File-Name": "new.mp4"})
    assert again.status_code == 200  # replaces: the old file is gone
    assert len(list(uploads(settings, session_id).glob("*"))) == 1
    assert trainer.post(f"{url}/delete").status_code == 204
    assert not list(uploads(settings, session_id).glob("*"))
    assert trainer.get(media).status_code == 404
    go(trainer, session_id, VIDEO_ID)  # uploaded before the case was on screen, now deleted
    assert t("case.no_video_yet") in trainer.get(f"/screen/{session_id}").text


def test_deleting_the_sessions_personal_data_deletes_its_videos(app, trainer, live, settings):
    session_id, code = live
    url = f"/control/{session_id}/case/{VIDEO_ID}/media"
    assert trainer.post(url, content=MP4, headers={"X-File-Name": "call.mp4"}).status_code == 200
    assert len(list(uploads(settings, session_id).glob("*.mp4"))) == 1
    response = trainer.post(f"/control/{session_id}/erase", data={"confirm": code}, follow_redirects=False)
    assert response.status_code in (200, 303), response.text
    assert not (settings.data_dir / "sessions" / str(session_id)).exists()


def with_shipped_video(tmp_path, name: str, data: bytes):
    """The case content with the Unit 3 video case playing a file from the course folder."""
    content = case_content(tmp_path)
    (content / "kam" / "media").mkdir(exist_ok=True)
    (content / "kam" / "media" / name).write_bytes(data)
    unit_file = content / "kam" / "units" / "3-analysing-customers.yaml"
    shipped = f"  video:\n    file: media/{name}\n"
    unit_file.write_text(unit_file.read_text().replace("  video:\n", shipped, 1))
    return content


def test_a_video_in_the_course_folder_is_checked_when_the_content_loads(tmp_path):
    with pytest.raises(ContentErrors, match="not an MP4 or WebM video"):
        load_courses(with_shipped_video(tmp_path / "a", "call.mp4", PNG), KINDS)
    course = load_courses(with_shipped_video(tmp_path / "b", "call.webm", CLIP), KINDS)["kam"]
    assert course.activity(VIDEO_ID).config.video.file == "media/call.webm"


def test_a_video_in_the_course_folder_is_served_in_ranges(app, trainer, live, settings, tmp_path):
    session_id, _code = live
    # in place: the routes and the publisher hold the same table of courses
    app.state.courses.update(load_courses(with_shipped_video(tmp_path / "c", "call.webm", CLIP), KINDS))
    media = f"/control/{session_id}/case/{VIDEO_ID}/media"
    part = trainer.get(media, headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and part.content == CLIP[:100]
    assert part.headers["content-type"] == "video/webm"
    refused = trainer.post(media, content=MP4, headers={"X-File-Name": "x.mp4"})
    assert refused.status_code == 409  # the course's own video is not replaced here


# ---- one seat, several actions at once -----------------------------------------------------

SEATS = itertools.count(1)
TAGS = st.sampled_from(["data-cue", "people-cue", "missed-signal"])


@hypothesis_settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(taps=st.lists(st.tuples(TAGS, st.sampled_from("abcdef")), min_size=2, max_size=8))
def test_taps_sent_at_once_from_one_seat_are_all_kept_once_within_the_limit(app, trainer, live, taps):
    """Two tabs, or a tap sent again racing its original (the same key): every tap answered 200
    is stored once, and the seat never holds more than the case's four."""
    session_id, code = live
    go(trainer, session_id, SCRIPT_ID)
    name = f"P{next(SEATS)}"
    phone = join(app, code, name)
    sent = [{"tag": tag, "key": key, "comment": f"c-{key}", "seen": 0} for tag, key in taps]
    replies = post_in_parallel(code, "tag", SCRIPT_ID, [(phone, tap) for tap in sent])
    assert {r.status_code for r in replies} <= {200, 400}
    answered = {tap["key"] for tap, r in zip(sent, replies, strict=True) if r.status_code == 200}
    stored = [t["k"] for t in my_tags(app, session_id, SCRIPT_ID)[seat_id(app, name)]]
    assert sorted(stored) == sorted(answered)  # everything acknowledged, once
    assert len(stored) == min(4, len({tap["key"] for tap in sent}))  # refused only when full


def test_two_sockets_of_one_seat_tagging_at_once_keep_every_confirmed_tap(app, trainer, live):
    session_id, code = live
    go(trainer, session_id, SCRIPT_ID)
    phone = join(app, code, "两个标签页")
    keys = [["a1", "a2"], ["b1", "b2"]]
    start = threading.Barrier(2)

    def tab(own_keys: list[str]) -> list[str]:
        with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
            receive_until(ws, 'id="play-own"')
            start.wait()
            for key in own_keys:  # confirmed as the phone sees it: the tap listed in its own part
                tap = {"tag": "data-cue", "comment": key, "key": key, "seen": 0}
                send(ws, expect=f'data-key="{key}"', action="tag", activity=SCRIPT_ID, **tap)
        return own_keys

    with ThreadPoolExecutor(2) as pool:
        confirmed = [key for keys_of_tab in pool.map(tab, keys) for key in keys_of_tab]
    stored = [t["k"] for t in my_tags(app, session_id, SCRIPT_ID)[seat_id(app, "两个标签页")]]
    assert sorted(stored) == sorted(confirmed)

"""The questionnaire over HTTP and websockets: answering in order, resuming, going back, bad and
out-of-order answers, the profile, the room map, pairs, and the quality command."""

import re

from app.cli import main as cli
from app.course.models import STYLE_IDS
from app.live import responses
from app.modules.preference import profiles
from tests.support.clients import ORIGIN, join, post_action
from tests.support.html import elements
from tests.support.i18n import t
from tests.support.ws import receive_until

PREF = "u3-preference-questionnaire"


def go(trainer, live, activity=PREF):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": activity})
    return session_id, code


def post(phone, code, action, status=200, **data):
    return post_action(phone, code, action, PREF, status, **data)


def answer_all(phone, code, config, first="data", agree=4, upto=None):
    """Answer the questions in order: `first` on top of every block, `agree` to every statement."""
    order = [first, *[s for s in STYLE_IDS if s != first]]
    text = ""
    for question in config.questions[:upto]:
        if hasattr(question, "options"):
            text = post(phone, code, "answer", item=question.id, order=order)
        else:
            text = post(phone, code, "answer", item=question.id, agree=agree)
    return text


def question_number(page: str) -> int:
    return int(re.search(r'class="pref-progress"[^>]*>\D*(\d+)', page).group(1))


def test_answer_every_question_and_see_the_profile(app, trainer, live, course):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "李雷")
    first = phone.get(f"/play/{code}").text
    assert question_number(first) == 1 and config.intro.get("zh-CN")[:10] in first
    last = answer_all(phone, code, config, first="people")
    assert t("preference.profile_title") in last and elements(last, ".pref-chart")
    assert re.search(r'最强偏好</span>\s*<span class="style-tag"[^>]*>.*?<span>关系型</span>', last, re.S)
    assert course.style("people").blind_spots[0].get("zh-CN") in last
    me = phone.get(f"/play/{code}/mine").text  # revisit at any time
    assert t("preference.profile_title") in me and elements(me, ".pref-chart")


def test_a_reload_resumes_at_the_same_question(app, trainer, live, course):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "韩梅梅")
    after = answer_all(phone, code, config, upto=5)
    assert question_number(after) == 6
    assert question_number(phone.get(f"/play/{code}").text) == 6


def test_out_of_order_and_bad_answers_are_refused_and_change_nothing(app, trainer, live, course, db):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "Lily")
    blocks, statements = config.blocks, config.statements
    skip = post(phone, code, "answer", status=409, item=blocks[2].id, order=list(STYLE_IDS))
    assert t("preference.error.order") in skip
    half = post(phone, code, "answer", status=400, item=blocks[0].id, order=["data", "people"])
    assert t("preference.error.order_all") in half
    twice = post(
        phone, code, "answer", status=400, item=blocks[0].id, order=["data", "data", "people", "vision"]
    )
    assert t("preference.error.order_all") in twice
    post(phone, code, "answer", status=400, item="no-such-question", agree=3)
    post(phone, code, "answer", status=400, item=blocks[0].id, order="data")
    answer_all(phone, code, config, upto=len(blocks))
    post(phone, code, "answer", status=400, item=statements[0].id, agree=9)
    post(phone, code, "answer", status=400, item=statements[0].id, agree="lots")
    saved = responses.every(db, session_id, PREF)
    assert len(saved) == len(blocks) and all(r.value["order"][0] == "data" for r in saved)


def test_going_back_shows_the_answer_and_returns_to_where_one_was(app, trainer, live, course, db):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "Tom")
    answer_all(phone, code, config, first="vision", upto=3)
    back = post(phone, code, "revisit", item=config.blocks[1].id)
    assert question_number(back) == 2
    assert elements(back, "[name=order][value=vision]")  # the earlier order is shown
    assert question_number(phone.get(f"/play/{code}").text) == 2  # a reload keeps it
    again = post(phone, code, "answer", item=config.blocks[1].id, order=list(STYLE_IDS))
    assert question_number(again) == 4
    post(phone, code, "revisit", status=409, item=config.blocks[5].id)  # not answered yet


def test_closed_questionnaire_refuses_answers_and_says_how_far_one_got(app, trainer, live, course):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "Ann")
    answer_all(phone, code, config, upto=2)
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    post(phone, code, "answer", status=409, item=config.blocks[2].id, order=list(STYLE_IDS))
    assert t("preference.unfinished", done=2, total=28) in phone.get(f"/play/{code}").text


def test_room_map_on_the_screen_counts_teams_and_escapes_names(app, trainer, live, course, db):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phones = {name: join(app, code, name) for name in ("<b>甲</b>", "乙", "丙")}
    for phone, first in zip(phones.values(), ("data", "data", "vision"), strict=True):
        answer_all(phone, code, config, first=first)
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": 1})
    screen = trainer.get(f"/screen/{session_id}").text
    assert (
        t("preference.finished", n=3) in screen and "pref-map" not in screen
    )  # not until the facilitator shows it
    trainer.post(f"/control/{session_id}/kind/map", data={"activity": PREF, "on": "true"})
    screen = trainer.get(f"/screen/{session_id}").text
    counts = dict(
        re.findall(
            r'<span>(\S+?型)</span></span></span>\s*<span class="bar">.*?'
            r'<span class="bar-value">(\d+)</span>',
            screen,
            re.S,
        )
    )
    assert counts == {"数据型": "2", "流程型": "0", "关系型": "0", "愿景型": "1"}
    assert "<b>甲</b>" not in screen and "&lt;b&gt;甲" not in screen  # anonymous by default
    trainer.post(f"/control/{session_id}/kind/names", data={"activity": PREF, "on": "true"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert "&lt;b&gt;甲&lt;/b&gt;" in screen and "<b>甲</b>" not in screen
    room = profiles.room(db, session_id, course.activity(PREF))
    assert room.finished == 3 and room.counts["data"] == 2


def test_facilitator_proposes_pairs_of_opposite_styles(app, trainer, live, course):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    for name, first in (("A1", "data"), ("B1", "people"), ("C1", "process"), ("D1", "vision")):
        answer_all(join(app, code, name), code, config, first=first)
    phone = join(app, code, "E1")
    answer_all(phone, code, config, first="people")
    trainer.post(f"/control/{session_id}/kind/pairs", data={"activity": PREF})
    control = trainer.get(f"/control/{session_id}").text
    groups = re.findall(r"<li>(.*?)</li>", control.split('class="pref-groups"')[1].split("</ol>")[0], re.S)
    names = [re.findall(r'class="pref-person">(\w+)', g) for g in groups]
    assert sorted(len(n) for n in names) == [2, 3]
    assert any({"C1", "D1"} == set(n) for n in names)  # process with vision
    assert t("preference.partners") not in phone.get(f"/play/{code}").text  # not announced yet
    trainer.post(f"/control/{session_id}/kind/pairs_shown", data={"activity": PREF, "on": "true"})
    assert t("preference.partners") in phone.get(f"/play/{code}").text
    assert t("preference.groups_title") in trainer.get(f"/screen/{session_id}").text


def test_the_screen_hears_of_each_finished_questionnaire(app, trainer, live, course):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "Zed")
    with trainer.websocket_connect(f"/ws/screen/{session_id}", headers={"Origin": ORIGIN}) as ws:
        receive_until(ws, "0 人已完成")
        answer_all(phone, code, config)
        receive_until(ws, "1 人已完成")


def test_quality_command_reports_alpha_per_style(app, trainer, live, course, settings, capsys, monkeypatch):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    for n, agree in enumerate((1, 2, 4, 5)):
        answer_all(join(app, code, f"P{n}"), code, config, agree=agree)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    monkeypatch.setenv("CONTENT_DIR", str(settings.content_dir))
    assert cli(["preference", "quality", str(session_id)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"数据型 Data\s+n=4\s+alpha=1\.00", out), out
    assert config.statements[0].id in out
    assert cli(["preference", "quality", "999999"]) == 1


def test_a_reconnecting_phone_gets_its_own_question_and_then_its_profile(app, trainer, live, course):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "Kim")
    answer_all(phone, code, config, upto=3)
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        assert question_number(receive_until(ws, 'class="pref-progress"')) == 4
    answer_all(phone, code, config)  # the rest (earlier ones again: a change, not a skip)
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, 'id="pref-profile"')


def test_profiles_for_the_exports(app, trainer, live, course, db):
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    answer_all(join(app, code, "Done"), code, config, first="process")
    answer_all(join(app, code, "Halfway"), code, config, upto=4)
    (row,) = profiles.export_rows(db, session_id, course)
    assert row["name"] == "Done" and row["primary"] == "process" and row["process_level"] == "often"
    assert all(0 <= row[f"{s}_score"] <= 100 for s in STYLE_IDS)


def test_the_room_map_follows_a_changed_answer(app, trainer, live, course, db):
    """Profiles are cached between updates; a changed answer must still change the map."""
    session_id, code = go(trainer, live)
    config = course.activity(PREF).config
    phone = join(app, code, "Changer")
    answer_all(phone, code, config, first="data")
    assert profiles.room(db, session_id, course.activity(PREF)).counts["data"] == 1
    answer_all(phone, code, config, first="people", upto=len(config.blocks))  # changes every block
    room = profiles.room(db, session_id, course.activity(PREF))
    assert (room.counts["data"], room.counts["people"], room.finished) == (0, 1, 1)

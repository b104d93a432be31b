"""The plan workspace: SMART check, completeness, versioned saves and conflicts (services), and
saving over HTTP — begin, save, a repeat, a stale version, a conflict, the lock, bad input,
restore points, prefill from the key-account list, points and the badge for a complete plan."""

import difflib
import itertools
import json

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from sqlmodel import select

from app.config import ROOT
from app.course.loader import load_courses
from app.customers import accounts, hypotheses
from app.kinds import KINDS
from app.live import responses
from app.models import Participant
from app.plans import checks, store
from app.plans.body import Objective, Person, PlanBody
from app.plans.models import PlanRevision
from app.points import badges, ledger
from tests.support.clients import join
from tests.support.html import elements, texts
from tests.support.i18n import t, t_start
from tests.support.ws import HEADERS, receive_until

WRITING = "u4-plan-writing"
LADDER = ["unaware", "aware", "interested", "trial", "regular", "advocate"]


def objective(**changes) -> Objective:
    fields = {
        "kind": "ladder",
        "who": "ZL",
        "from_stage": "trial",
        "to_stage": "regular",
        "text": "ZL 主任从试用进到常规使用",
        "measure": "拜访中确认阶段",
        "due": "2027-09-30",
    }
    return Objective(**{**fields, **changes})


def complete_body(**changes) -> PlanBody:
    fields = {
        "profile": "三甲 内分泌科",
        "potential": "科室 2 型糖尿病门诊多",
        "stage": "trial",
        "people": [
            Person(
                who="ZL",
                role="科主任",
                influence="high",
                stance="neutral",
                style="data",
                message="先给结论，再给头对头数据",
            )
        ],
        "needs": "血糖达标率",
        "strengths": "证据充分",
        "threats": "竞品新数据",
        "objectives": [objective()],
        "calls": "A 级每月 6 次",
        "meetings": "科室会 1 次",
        "resources_why": "资源集中在潜力最高的科室",
        "measures": "阶梯阶段",
        "reviews": "每月和经理回顾",
        "triggers": "两个季度停在同一阶段",
    }
    return PlanBody(**{**fields, **changes})


# ---- services ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "problems"),
    [
        ({}, []),
        ({"due": ""}, ["time"]),
        ({"due": "尽快"}, ["time"]),
        ({"due": "第三季度末"}, []),
        ({"who": ""}, ["specific"]),
        ({"to_stage": "trial"}, ["upward"]),
        ({"from_stage": "unaware", "to_stage": "regular"}, ["achievable"]),
        ({"to_stage": ""}, ["move"]),
        ({"text": "ZL 主任每月处方量达到 50 盒"}, ["quota"]),
        ({"kind": "activity", "text": "Sign up for 30 boxes a month", "measure": ""}, ["measure", "quota"]),
        (
            {
                "kind": "activity",
                "text": "科室会讲一次病例",
                "measure": "会议召开",
                "from_stage": "",
                "to_stage": "",
            },
            [],
        ),
    ],
)
def test_smart_check_points_at_what_is_missing(changes, problems):
    assert checks.smart_problems(objective(**changes), LADDER) == problems


# Quotas in disguise are still quotas (DOMAIN.md): a doctor's patient numbers, volume and share are
# refused like prescription counts; objectives about patient types, the label and activities are not.
QUOTAS = [
    "9 月前新增 20 位病人使用衡达宁",
    "每月20个病人",
    "用量提升30%",
    "份额达到40%",
    "ZL 主任每月处方量达到 50 盒",
    "新增病人使用衡达宁",
    "二十位患者用上衡达宁",
    "科室 30% 的患者改用衡达宁",
    "W 医生的用药量翻倍",
    "季度内推动上量",
    "提升他的市场占有率",
    "使用衡达宁的患者人数增加",
    "20 new patients on Hendanin by September",
    "twenty more patients on our drug",
    "raise his usage by 30%",
    "reach a 40% share",
    "market share of the department",
    "double his prescribing volume",
    "the number of patients on Hendanin",
]
LEGITIMATE = [
    "科室病人教育",
    "患者随访流程",
    "约定一类病人特征和跟进时间",
    "在说明书范围内约定的病人类型中常规使用",
    "为 2 型糖尿病病人讲清用法用量",
    "65 岁以上患者的低血糖风险",
    "科室会讲 2 个病例",
    "科室会参会医生不少于 15 人",
    "从试用进到常规使用",
    "每月拜访 6 次",
    "量表评估后开始试用",
    "agree a specific patient profile and a follow-up date",
    "agree two patient profiles with him",
    "share his experience at a department meeting",
    "a patient-education session for the nurses",
    "move from trial to regular use by 30 September",
    "explain dosing for older patients",
]


@pytest.mark.parametrize("text", QUOTAS)
def test_a_quota_in_disguise_is_refused(text):
    assert "quota" in checks.smart_problems(objective(text=text), LADDER)
    assert "quota" in checks.smart_problems(objective(kind="activity", text="科室会", measure=text), LADDER)


@pytest.mark.parametrize("text", LEGITIMATE)
def test_an_objective_about_patient_types_the_label_or_activities_is_not_a_quota(text):
    assert checks.smart_problems(objective(text=text), LADDER) == []


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(LEGITIMATE), max_size=3),
    st.sampled_from(QUOTAS),
    st.sampled_from(["，", "、", "; "]),
)
def test_a_quota_is_caught_whatever_surrounds_it_and_legitimate_text_never_is(around, quota, glue):
    assert checks.QUOTA.search(glue.join(around)) is None
    assert checks.QUOTA.search(glue.join([*around[:1], quota, *around[1:]]))


def test_the_plan_guidance_never_models_a_quota():
    course = load_courses(ROOT / "content", KINDS)["kam"]
    plan = next(a.config for a in course.activities if a.kind == "plan")
    example = plan.fields["objectives"].example
    assert all(checks.QUOTA.search(example.get(lang)) is None for lang in ("zh-CN", "en"))
    assert t("plan.smart.quota").startswith("不能") and "份额" in t("plan.smart.quota")


def test_completeness_names_each_missing_item_in_plan_order():
    empty = checks.completeness(PlanBody(), LADDER)
    assert empty.percent == 0 and empty.missing[:3] == ["profile", "potential", "stage"]
    assert empty.sections_done == 0
    full = checks.completeness(complete_body(), LADDER)
    assert (full.percent, full.missing, full.sections_done) == (100, [], 5)
    quota = checks.completeness(complete_body(objectives=[objective(text="每月 50 盒")]), LADDER)
    assert quota.missing == ["smart"] and not quota.sections["objectives"] and quota.sections["review"]
    silent = complete_body(
        people=[Person(who="ZL", role="科主任", influence="high", stance="neutral", style="data")]
    )
    assert checks.completeness(silent, LADDER).missing == ["messages"]


@pytest.fixture
def plan_of(live, db, app):
    session_id, code = live
    join(app, code, "周敏")
    me = db.exec(select(Participant)).one()
    return store.start(db, session_id, me.id, "zl", PlanBody(profile="v0"), LADDER)


def test_versioned_saves_repeats_and_conflicts(db, plan_of):
    plan = plan_of
    assert (plan.customer, plan.version) == ("ZL", 1)
    saved = store.save(db, plan, PlanBody(profile="a1"), base=1, device="A", seq=1, ladder=LADDER)
    assert (saved.plan.version, saved.repeat) == (2, False)
    # the same save again (its answer was lost): already there, nothing rolls back
    store.save(db, plan, PlanBody(profile="a2"), base=2, device="A", seq=2, ladder=LADDER)
    again = store.save(db, plan, PlanBody(profile="a1"), base=1, device="A", seq=1, ladder=LADDER)
    assert again.repeat and store.body_of(again.plan).profile == "a2" and again.plan.version == 3
    # the same device after a lost answer: its text is newer, it goes on
    on = store.save(db, plan, PlanBody(profile="a4"), base=2, device="A", seq=4, ladder=LADDER)
    assert (on.plan.version, store.body_of(on.plan).profile) == (4, "a4")
    # another device that started from an older version: refused, and its text is kept
    with pytest.raises(store.SaveConflict) as refused:
        store.save(db, plan, PlanBody(profile="from B"), base=3, device="B", seq=1, ladder=LADDER)
    assert refused.value.plan.version == 4 and store.body_of(refused.value.plan).profile == "a4"
    kept = store.revisions(db, plan.id)[0]
    assert (kept.reason, kept.body["profile"], kept.device) == ("conflict", "from B", "B")
    # B chose to keep its text, knowing the current version
    mine = store.save(db, plan, PlanBody(profile="from B"), base=4, device="B", seq=2, ladder=LADDER)
    assert (mine.plan.version, mine.plan.device) == (5, "B")


def test_restore_points_every_minute_and_restore(db, plan_of, monkeypatch):
    plan = plan_of
    for n in range(1, 4):
        store.save(db, plan, PlanBody(profile=f"text {n}"), base=n, device="A", seq=n, ladder=LADDER)
    points = store.revisions(db, plan.id)
    assert len(points) == 1 and points[0].body["profile"] == "text 1"  # one a minute at most
    monkeypatch.setattr(store, "RESTORE_POINT_SECONDS", 0)
    store.save(db, plan, PlanBody(profile="text 4"), base=4, device="A", seq=4, ladder=LADDER)
    points = store.revisions(db, plan.id)
    assert [p.body["profile"] for p in points] == ["text 4", "text 1"]
    restored = store.restore(db, plan, points[1].id, "A2", LADDER)
    assert (restored.version, store.body_of(restored).profile) == (6, "text 1")
    assert restored.percent == checks.completeness(PlanBody(profile="text 1"), LADDER).percent
    assert store.revisions(db, plan.id)[0].reason == "restore"
    assert "text 4" in [p.body["profile"] for p in store.revisions(db, plan.id)]  # nothing lost


def test_two_saves_at_the_same_moment_cannot_both_win(db, plan_of, app):
    from sqlmodel import Session

    plan = plan_of
    with Session(app.state.engine, expire_on_commit=False) as other:
        theirs = store.of_customer(other, plan.session_id, plan.participant_id, "ZL")
        store.save(other, theirs, PlanBody(profile="B"), base=1, device="B", seq=1, ladder=LADDER)
    with pytest.raises(store.SaveConflict):
        store.save(db, plan, PlanBody(profile="A"), base=1, device="A", seq=1, ladder=LADDER)
    assert db.exec(select(PlanRevision).where(PlanRevision.reason == "conflict")).one().body["profile"] == "A"


# ---- HTTP -------------------------------------------------------------------------------------


def save(phone, code, customer, body, base, device="dev1", seq=1, status=200):
    response = phone.post(
        f"/play/{code}/plans/{customer}/save",
        data={
            "body": json.dumps(body if isinstance(body, dict) else body.model_dump()),
            "base": base,
            "device": device,
            "seq": seq,
        },
    )
    assert response.status_code == status, response.text
    return response.json()


def begin(phone, code, customer, stage="", status=303):
    response = phone.post(
        f"/play/{code}/plans", data={"customer": customer, "stage": stage}, follow_redirects=False
    )
    assert response.status_code == status, response.text
    return response


def test_write_a_plan_over_http(app, trainer, live, course, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "周敏")
    assert t("plan.none") in phone.get(f"/play/{code}").text
    assert begin(phone, code, "zl", "trial").headers["location"] == f"/play/{code}/plans/ZL"
    begin(phone, code, "ZL")  # a double tap opens the same plan
    editor = phone.get(f"/play/{code}/plans/ZL").text
    assert t("plan.section.analysis") in editor and "plan.js" in editor and '"version": 1' in editor
    first = save(phone, code, "ZL", PlanBody(profile="三甲 内分泌科"), base=1)
    assert first["version"] == 2 and first["guidance"]["percent"] > 0
    assert t("plan.check.potential") in first["guidance"]["missing"]
    done = save(phone, code, "ZL", complete_body(), base=2, seq=2)
    sections = dict.fromkeys(["analysis", "objectives", "resources", "communication", "review"], True)
    assert done["guidance"] == {"percent": 100, "sections": sections, "missing": [], "smart": [[]]}
    me = db.exec(select(Participant)).one()
    assert [e.points for e in ledger.history(db, session_id, me.id)] == [20]
    assert "smart-plan" in badges.earned(db, session_id)[me.id]
    save(phone, code, "ZL", complete_body(needs="更新"), base=3, seq=3)
    assert [e.points for e in ledger.history(db, session_id, me.id)] == [20]  # once
    page = trainer.get(f"/control/{session_id}").text
    assert "周敏" in page and "100%" in page and "5/5" in page


def test_bad_saves_are_told_and_store_nothing(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "Max", language="en")
    begin(phone, code, "W1")
    long = save(phone, code, "W1", {"profile": "x" * 1001}, base=1, status=400)
    assert long["message"] == t("plan.error.too_long", field=t("plan.field.profile"), n=1000)
    many = save(phone, code, "W1", {"objectives": [{}] * 9}, base=1, status=400)
    assert t("plan.error.too_many", field=t("plan.field.objectives"), n=8) in many["message"]
    save(phone, code, "W1", {"surprise": "x"}, base=1, status=400)
    for form in (
        {"body": "{not json", "base": 1, "device": "d", "seq": 1},
        {"body": "{}", "base": "one", "device": "d", "seq": 1},
        {"body": "{}", "base": 1, "device": "", "seq": 1},
    ):
        response = phone.post(f"/play/{code}/plans/W1/save", data=form)
        assert response.status_code == 400 and response.json()["error"] == "plan.error.invalid"
    response = phone.post(
        f"/play/{code}/plans/W1/save", data={"body": "x" * (60 * 1024), "base": 1, "device": "d", "seq": 1}
    )
    assert response.status_code in (400, 413)
    save(phone, code, "NOPE", {}, base=1, status=404)
    begin(phone, code, "王建国", status=400)  # a full name, not a code
    assert save(phone, code, "W1", {"profile": "ok"}, base=1)["version"] == 2


def test_stale_version_from_another_device_is_a_conflict_over_http(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "周敏")
    begin(phone, code, "ZL")
    save(phone, code, "ZL", {"profile": "laptop"}, base=1, device="laptop")
    conflict = save(phone, code, "ZL", {"profile": "phone"}, base=1, device="phone", status=409)
    assert conflict["conflict"] and conflict["version"] == 2 and conflict["body"]["profile"] == "laptop"
    history = phone.get(f"/play/{code}/plans/ZL/history").text
    assert t("plan.reason.conflict") in history
    kept = save(phone, code, "ZL", {"profile": "phone"}, base=2, device="phone", seq=2)
    assert kept["version"] == 3


def test_locked_plans_refuse_saves_and_open_again(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "周敏")
    begin(phone, code, "ZL")
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    locked = save(phone, code, "ZL", {"profile": "late"}, base=1, status=423)
    assert t("plan.error.locked") in locked["message"]
    assert t("plan.locked_note") in phone.get(f"/play/{code}").text
    begin(phone, code, "W2", status=423)
    trainer.post(f"/control/{session_id}/phase", data={"phase": "open"})
    assert save(phone, code, "ZL", {"profile": "late"}, base=1)["version"] == 2


def test_prefilled_from_my_key_accounts_and_hypotheses(app, trainer, live, course, db):
    session_id, code = live
    phone = join(app, code, "周敏")
    me = db.exec(select(Participant)).one()
    accounts.add(db, session_id, me.id, "ZL", "trial", "三甲 内分泌科 主任", course.territory)
    accounts.choose(db, session_id, me.id, "ZL", True, "门诊量大")
    hypotheses.save(db, session_id, me.id, "ZL", "data", "high", [], "u3-reading-preference")
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    assert t("plan.suggested") in phone.get(f"/play/{code}").text
    begin(phone, code, "ZL")
    body = store.body_of(store.of_customer(db, session_id, me.id, "ZL"))
    assert (body.profile, body.potential, body.stage) == ("三甲 内分泌科 主任", "门诊量大", "trial")
    assert (body.people[0].who, body.people[0].style) == ("ZL", "data")
    assert (body.objectives[0].who, body.objectives[0].from_stage) == ("ZL", "trial")


def key_accounts_of(db, session_id, me, course, weights, *customers):
    """A trainee's key accounts from the morning, each scored high on one criterion only."""
    exercise = course.activities_of("myaccounts")[0]
    responses.save(db, session_id, exercise.id, me.id, weights, item="weights")
    for customer, best in customers:
        accounts.add(
            db, session_id, me.id, customer, "aware", f"{me.display_name} 的 {customer}", course.territory
        )
        for criterion in weights:
            accounts.score(db, session_id, me.id, customer, criterion, 5 if criterion == best else 1)
        accounts.choose(db, session_id, me.id, customer, True, "潜力大")


def test_trainees_rendered_together_each_see_their_own_plans_and_accounts(app, trainer, live, course, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phones = {name: join(app, code, name) for name in ("甲", "乙", "丙")}
    me = {p.display_name: p for p in db.exec(select(Participant))}
    by_scale = {"scale": 70, "influence": 10, "potential": 10, "recognition": 10}
    by_recognition = {"scale": 10, "influence": 10, "potential": 10, "recognition": 70}
    key_accounts_of(db, session_id, me["甲"], course, by_scale, ("ZL", "scale"), ("WX", "recognition"))
    key_accounts_of(
        db,
        session_id,
        me["乙"],
        course,
        by_recognition,
        ("ZL", "scale"),
        ("WX", "recognition"),
        ("QY", "scale"),
    )
    begin(phones["乙"], code, "QY")
    with (
        phones["甲"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as jia,
        phones["乙"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as yi,
        phones["丙"].websocket_connect(f"/ws/play/{code}", headers=HEADERS) as bing,
    ):
        sockets = {"甲": jia, "乙": yi, "丙": bing}
        for ws in sockets.values():
            receive_until(ws, 'id="play-own"')  # connected: the stage, then their own part
        for phase in ("closed", "open"):  # the stage changes: every own part, rendered together
            trainer.post(f"/control/{session_id}/phase", data={"phase": phase})
            for ws in sockets.values():
                receive_until(ws, f'data-phase="{phase}"')
        own = {
            name: elements(receive_until(ws, 'id="play-own"'), "#play-own")[0] for name, ws in sockets.items()
        }
    assert texts(own["甲"], ".plan-suggested strong") == ["ZL", "WX"]  # by their own weights
    assert texts(own["乙"], ".plan-suggested strong") == ["WX", "ZL"]  # QY has a plan already
    assert texts(own["乙"], ".plan-card strong") == ["QY"] and not elements(own["甲"], ".plan-card")
    assert "乙" not in own["甲"].text and "甲" not in own["乙"].text
    assert t("plan.none") in own["丙"].text and elements(own["丙"], "details.plan-new[open]")
    for name in ("甲", "乙"):  # the same as their page shows, read for them alone
        page = phones[name].get(f"/play/{code}").text
        assert texts(page, ".plan-suggested strong") == texts(own[name], ".plan-suggested strong")


def test_a_trainee_reaches_only_their_own_plans(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    mine, other = join(app, code, "周敏"), join(app, code, "李雷")
    begin(mine, code, "ZL")
    assert other.get(f"/play/{code}/plans/ZL").status_code == 404
    save(other, code, "ZL", {"profile": "not mine"}, base=1, status=404)
    stranger = join(app, code, "王五")
    stranger.cookies.clear()
    assert (
        stranger.post(
            f"/play/{code}/plans/ZL/save", data={"body": "{}", "base": 1, "device": "d", "seq": 1}
        ).status_code
        == 403
    )


# ---- presenting ---------------------------------------------------------------------------------

PRESENT = "u4-plan-present"


def test_present_a_plan_feedback_votes_and_award(app, trainer, live, db):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    author, a, b = join(app, code, "<b>周&敏</b>"), join(app, code, "李雷"), join(app, code, "韩梅")
    begin(author, code, "ZL")
    save(author, code, "ZL", complete_body(), base=1)
    plan = store.of_session(db, session_id)[0]
    trainer.post(f"/control/{session_id}/go", data={"activity": PRESENT})
    assert t("plan.show.waiting") in a.get(f"/play/{code}").text
    shown = trainer.post(f"/control/{session_id}/kind/present", data={"activity": PRESENT, "plan": plan.id})
    assert shown.status_code == 200
    screen = trainer.get(f"/screen/{session_id}").text
    assert "&lt;b&gt;周&amp;敏&lt;/b&gt;" in screen and "<b>周" not in screen and "先给结论" in screen
    assert t("plan.show.own") in author.get(f"/play/{code}").text

    def feedback(phone, status=200, **data):
        reply = phone.post(
            f"/play/{code}/act/feedback",
            headers={"HX-Request": "true"},
            data={"activity": PRESENT, "plan": plan.id, **data},
        )
        assert reply.status_code == status, reply.text
        return reply.text

    assert t("plan.error.own_plan") in feedback(author, status=409, vote=5)
    feedback(a, vote=9, status=400)
    feedback(a, vote=4, strength="目标清楚", suggestion="补充协访")
    feedback(a, vote=5, strength="目标清楚", suggestion="补充协访")  # changed my mind: replaces
    feedback(b, vote=3, strength="<script>x</script>")
    control = trainer.get(f"/control/{session_id}").text
    assert "2 · 4.0" in control and "&lt;script&gt;" in control and "<script>x" not in control
    assert t_start("plan.show.rating", n=2) in trainer.get(f"/screen/{session_id}").text
    for _ in range(2):  # pressing twice awards once
        trainer.post(f"/control/{session_id}/kind/award", data={"activity": PRESENT})
    me = db.exec(select(Participant).where(Participant.display_name == "<b>周&敏</b>")).one()
    assert sorted(e.points for e in ledger.history(db, session_id, me.id)) == [20, 30]
    assert {"smart-plan", "room-favourite"} <= set(badges.earned(db, session_id)[me.id])
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    feedback(a, vote=2, status=409)


def test_the_control_page_hears_each_save_and_the_screen_the_room(app, trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "周敏")
    begin(phone, code, "ZL")
    with (
        trainer.websocket_connect(f"/ws/control/{session_id}", headers=HEADERS) as control,
        trainer.websocket_connect(f"/ws/screen/{session_id}", headers=HEADERS) as screen,
    ):
        receive_until(control, "plan-progress")
        save(phone, code, "ZL", complete_body(), base=1)
        assert "100%" in receive_until(control, "100%")
        sections = receive_until(screen, 'class="bar-value">1<')
        assert texts(sections, ".bar-value").count("1") == 5  # every section done in one plan
        save(phone, code, "ZL", complete_body(profile=""), base=2, seq=2)
        receive_until(control, "93%")


def test_restore_an_earlier_version_over_http(app, trainer, live, db, monkeypatch):
    monkeypatch.setattr(store, "RESTORE_POINT_SECONDS", 0)
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "周敏")
    begin(phone, code, "ZL")
    save(phone, code, "ZL", {"profile": "first draft"}, base=1)
    save(phone, code, "ZL", {"profile": "oops, deleted"}, base=2, seq=2)
    page = phone.get(f"/play/{code}/plans/ZL/history").text
    assert t("plan.version", n=3) in page and t("plan.version", n=2) in page and "first draft" in page
    first = next(
        r
        for r in store.revisions(db, store.of_customer(db, session_id, 1, "ZL").id)
        if r.body["profile"] == "first draft"
    )
    back = phone.post(f"/play/{code}/plans/ZL/restore", data={"revision": first.id}, follow_redirects=False)
    assert back.status_code == 303 and back.headers["location"].endswith("?restored=1")
    assert '"profile": "first draft"' in phone.get(back.headers["location"]).text
    other = join(app, code, "李雷")
    assert other.post(f"/play/{code}/plans/ZL/restore", data={"revision": first.id}).status_code == 404


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
def test_no_section_of_the_editor_says_the_same_thing_twice(app, trainer, live, lang):
    """A section's text says what it is for, its fields' hints what to write: no hint repeats
    another of the same section (目标设定 and 沟通策略 each had one field saying the section again)."""
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": WRITING})
    phone = join(app, code, "周敏")
    phone.post(f"/play/{code}/lang", data={"lang": lang})
    begin(phone, code, "ZL")
    editor = phone.get(f"/play/{code}/plans/ZL").text
    for section in elements(editor, ".plan-section"):
        hints = [hint.text for hint in elements(section, ".hint") if hint.text]
        for first, second in itertools.combinations(hints, 2):
            assert difflib.SequenceMatcher(None, first, second).ratio() < 0.5, (first, second)

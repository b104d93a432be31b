"""The exports read back: the take-home report (DOCX), the session workbook (XLSX), the ZIP of every
plan, the print view; who may fetch what; and deleting a session's personal data."""

import io
import re
import zipfile
from html.parser import HTMLParser

import pytest
from docx import Document
from docx.oxml.ns import qn
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import inspect, text
from sqlmodel import select

from app.customers import accounts, hypotheses
from app.exports import bundle, erase, filenames, report, workbook
from app.i18n import translate
from app.live import responses, sessions, teams, teamwork
from app.models import LiveSession, Participant
from app.plans import feedback, store
from app.plans.body import Objective, Person, PlanBody
from app.points import ledger
from app.points.models import EarnedBadge
from tests.support.clients import join
from tests.support.html import one
from tests.support.i18n import t
from tests.support.waiting import until
from tests.support.ws import HEADERS, receive_until

MARKUP = '<b>王&"小明"</b>'
PREFERENCE = "u3-preference-questionnaire"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def body(ladder: list[str]) -> PlanBody:
    return PlanBody(
        profile="三甲医院内分泌科，门诊量大",
        potential="=1+1 高潜力",
        stage=ladder[1],
        people=[
            Person(
                who="ZL 主任",
                role="科室主任",
                influence="high",
                stance="neutral",
                style="data",
                message="用头对头研究数据说明获益",
            )
        ],
        needs="控糖达标率低",
        strengths="学术氛围强",
        threats="竞品已进院",
        objectives=[
            Objective(
                kind="ladder",
                who="ZL 主任",
                from_stage=ladder[1],
                to_stage=ladder[2],
                text="开始在合适的患者中试用",
                measure="科室会后反馈",
                due="第三季度末",
            ),
            Objective(kind="activity", who="WH", text="每月 100 盒"),
        ],
        calls="每月 4 次",
        meetings="一次科室会",
        resources_why="高潜力、低采纳",
        measures="阶梯位置",
        reviews="每月回顾",
        triggers="竞品降价",
    )


def day(app, trainer, session_id: int, code: str, course, db, names=(MARKUP, "李娜")):
    """A session with a team, trainees, answers, customers, plans, feedback, points and badges."""
    team = trainer.post(f"/control/{session_id}/teams", data={"name": "A队"})
    assert team.status_code == 200
    team_id = teams.teams(db, session_id)[0].id
    phones = [join(app, code, name, team=str(team_id)) for name in names]
    trainer.post(f"/control/{session_id}/go", data={"activity": "u1-warmup-poll"})
    people = list(
        db.exec(select(Participant).where(Participant.session_id == session_id).order_by(Participant.id))
    )
    ladder = [s.id for s in course.territory.ladder]
    quiz = course.activity("u1-quiz").config.questions
    for n, person in enumerate(people):
        _answers(db, course, session_id, person.id, quiz, right=n == 0)
        accounts.add(db, session_id, person.id, "C3", ladder[1], "三甲 内分泌", course.territory)
        accounts.choose(db, session_id, person.id, "C3", True, "@门诊量大")
        hypotheses.save(db, session_id, person.id, "C3", "data", "high", ["x"], "u3-reading-preference")
        teamwork.save(db, session_id, "u3-game-ladder", team_id, f"i{n}", {"v": n}, person.id)
        plan = store.start(db, session_id, person.id, "C3", PlanBody(), ladder)
        store.save(db, plan, body(ladder), base=plan.version, device="d1", seq=1, ladder=ladder)
        ledger.award(
            db,
            session_id,
            activity_id="u1-quiz",
            reason="quiz.correct",
            points=100 + n,
            key=f"k{n}",
            participant_id=person.id,
        )
        db.add(EarnedBadge(session_id=session_id, participant_id=person.id, badge_id="quiz-master"))
    db.commit()
    plans = store.of_session(db, session_id)
    for giver in people[1:]:  # someone rates the first plan; a formula-like suggestion stays text
        feedback.give(db, plans[0], giver.id, "目标清晰", '=HYPERLINK("http://x")', 4)
    return people, phones


def _answers(db, course, session_id, pid, quiz, right: bool):
    responses.save(db, session_id, "u1-warmup-poll", pid, {"choices": ["potential"]})
    for question in quiz[:3]:
        choice = question.right_answer if right else ["zzz"]
        responses.save(db, session_id, "u1-quiz", pid, {"choice": choice, "after": 2.0}, item=question.id)
    preference = course.activity(PREFERENCE).config
    for block in preference.blocks:
        responses.save(
            db, session_id, PREFERENCE, pid, {"order": ["people", "data", "process", "vision"]}, item=block.id
        )
    for statement in preference.statements:
        responses.save(db, session_id, PREFERENCE, pid, {"agree": 4}, item=statement.id)
    sa = course.activity("u1-self-assessment").config
    total = len(sa.competency_of)
    for item, competency in sa.competency_of.items():
        responses.save(
            db,
            session_id,
            "u1-self-assessment",
            pid,
            {"score": 4, "competency": competency, "total": total},
            item=item,
        )


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def built(app, trainer, live, course, db):
    session_id, code = live
    people, phones = day(app, trainer, session_id, code, course, db)
    return sessions.get(db, session_id), people, phones


def test_report_reads_back_in_chinese_and_english(built, course, db):
    session, people, _ = built
    content = report.report_docx(db, session, course, people[0], "zh-CN")
    words = docx_text(content)
    for expected in (
        t("export.report.title"),
        MARKUP,
        "A队",
        t("export.profile.title"),
        "关系型",
        t("export.assessment.title"),
        t("export.plan.heading", customer="C3"),
        t("export.section.analysis"),
        t("export.section.objectives"),
        t("export.section.resources"),
        t("export.section.communication"),
        t("export.section.review"),
        "ZL 主任",
        "用头对头研究数据说明获益",
        t("export.smart.quota"),
        t("export.smart.ok"),
        "目标清晰",
        "测验达人",
        t("export.reason.quiz.correct"),
        "@门诊量大",
    ):
        assert expected in words, expected
    doc = Document(io.BytesIO(content))
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == fonts.get(qn("w:ascii")) == "Microsoft YaHei"
    assert len(doc.inline_shapes) >= 4  # the profile's and the self-assessment's bars
    english = docx_text(report.report_docx(db, session, course, people[0], "en"))
    assert translate("en", "export.report.title") in english
    assert translate("en", "export.section.analysis") in english


def test_workbook_headers_languages_and_no_formulas(built, course, db):
    session, people, _ = built
    book = load_workbook(io.BytesIO(workbook.session_workbook(db, session, course, "zh-CN")))
    assert book.sheetnames == [  # the kinds' own sheets in the course's order, between
        "学员",
        "小组",
        "投票与测验",
        "客户名单",
        "思维偏好",
        "案例标签",
        "计划书",
        "反馈",
        "积分",
        "徽章",
    ]
    plans = book["计划书"]
    assert [c.value for c in plans[1]] == [
        "学员",
        "小组",
        "客户",
        "部分",
        "项目",
        "内容",
        "SMART 问题",
        "完成度（%）",
    ]
    assert plans.freeze_panes == "A2" and plans["A1"].font.bold
    rows = [[c.value for c in row] for row in plans.iter_rows(min_row=2)]
    assert any(
        r[0] == MARKUP and r[3] == t("export.section.objectives") and t("export.smart.quota") in r[6]
        for r in rows
    )
    answers = [[c.value for c in row] for row in book["投票与测验"].iter_rows(min_row=2)]
    quiz, poll = t("export.kind.quiz"), t("export.kind.poll")
    assert {r[6] for r in answers if r[1] == quiz} == {t("export.right"), t("export.wrong")}
    assert any(r[1] == poll for r in answers)
    assert "=1+1 高潜力" in [r[5] for r in rows]
    for sheet in book.worksheets:  # trainee text stays text: never a formula
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                    assert cell.data_type == "s" and cell.quotePrefix, cell.value
    english = load_workbook(io.BytesIO(workbook.session_workbook(db, session, course, "en")))
    assert [c.value for c in english["Trainees"][1]][:3] == ["ID", "Trainee", "Team"]


def test_zip_names_are_safe_readable_and_unique(built, course, db):
    session, people, _ = built
    archive = zipfile.ZipFile(io.BytesIO(bundle.plans_zip(db, session, course, "zh-CN")))
    names = archive.namelist()
    assert names == ["01-b王&小明b-A队.docx", "02-李娜-A队.docx"]
    assert MARKUP in docx_text(archive.read(names[0]))
    assert filenames.unique(["a.docx", "A.docx", "a.docx"]) == ["a.docx", "A-2.docx", "a-3.docx"]
    assert filenames.safe_part('..\\x/y:\x07"名字"?<>|*. ') == "xy名字"  # no hidden file either
    assert len(filenames.safe_part("长" * 300)) == filenames.MAX_PART


def test_facilitator_downloads(built, trainer):
    session, people, _ = built
    base = f"/control/{session.id}/export"
    for path, kind in (
        (f"{base}/plans.zip", "application/zip"),
        (f"{base}/workbook.xlsx", "spreadsheetml"),
        (f"{base}/participants/{people[0].id}.docx", DOCX),
    ):
        response = trainer.get(path)
        assert response.status_code == 200 and kind in response.headers["content-type"]
        disposition = response.headers["content-disposition"]
        assert re.search(r'filename="[A-Za-z0-9._-]+"', disposition) and "filename*=UTF-8''" in disposition
    doc = trainer.get(f"{base}/participants/{people[0].id}.docx")
    assert "%E5%A4%A7%E5%AE%A2%E6%88%B7" in doc.headers["content-disposition"]  # 大客户
    assert MARKUP in docx_text(doc.content)
    assert trainer.get(f"{base}/participants/99999.docx").status_code == 404
    listing = trainer.get(f"{base}/people")
    assert "&lt;b&gt;王&amp;" in listing.text and "<b>王" not in listing.text


class Page(HTMLParser):
    """The tags and the text of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.tags, self.text = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_print_view_escapes_and_stands_alone(built, trainer, db):
    session, people, phones = built
    plan = store.of_participant(db, session.id, people[0].id)[0]
    page = Page(trainer.get(f"/control/{session.id}/plans/{plan.id}/print").text)
    assert MARKUP in "".join(page.text) and "b" not in [tag for tag, _ in page.tags]
    assert not [t for t, a in page.tags if t in ("script", "link", "img", "iframe")]
    assert "ZL 主任" in "".join(page.text) and "@media print" in "".join(page.text)
    own = Page(phones[0].get(f"/play/{session.code}/plans/c3/print").text)
    assert MARKUP in "".join(own.text)


def test_trainees_get_only_their_own(built, app, db):
    session, people, phones = built
    code = session.code
    assert MARKUP in docx_text(phones[0].get(f"/play/{code}/report.docx").content)
    theirs = docx_text(phones[1].get(f"/play/{code}/report.docx").content)
    assert "李娜" in theirs and MARKUP not in theirs
    other = join(app, code, "王五")
    assert other.get(f"/play/{code}/plans/C3/print").status_code == 404  # C3 is someone else's plan
    assert other.get(f"/play/{code}/plans/C3/print?participant={people[0].id}").status_code == 404
    stranger = TestClient(app)
    away = stranger.get(f"/play/{code}/report.docx", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == f"/j/{code}"


def test_non_facilitators_are_refused(built, app, db):
    session, people, phones = built
    plan = store.of_participant(db, session.id, people[0].id)[0]
    base = f"/control/{session.id}"
    paths = [
        f"{base}/export/plans.zip",
        f"{base}/export/workbook.xlsx",
        f"{base}/export/people",
        f"{base}/export/participants/{people[0].id}.docx",
        f"{base}/plans/{plan.id}/print",
    ]
    for client in (TestClient(app), phones[0]):
        for path in paths:
            response = client.get(path, follow_redirects=False)
            assert response.status_code == 303 and response.headers["location"].startswith("/login"), path
        refused = client.post(f"{base}/erase", data={"confirm": session.code}, follow_redirects=False)
        assert refused.status_code in (303, 401, 403)
    assert db.exec(select(Participant).where(Participant.session_id == session.id)).all()


def counts(db) -> dict[str, int]:
    names = [n for n in inspect(db.get_bind()).get_table_names() if n != "alembic_version"]
    return {n: db.exec(text(f'SELECT COUNT(*) FROM "{n}"')).scalar_one() for n in names}


def test_erase_needs_the_code_then_deletes_every_personal_row(app, trainer, live, course, db):
    session_id, code = live
    other = trainer.post("/control/sessions", data={"course_id": course.id}, follow_redirects=False)
    other_id = int(other.headers["location"].rsplit("/", 1)[1])
    other_code = sessions.get(db, other_id).code
    day(app, trainer, other_id, other_code, course, db, names=("赵六",))
    before = counts(db)
    day(app, trainer, session_id, code, course, db)
    grown = {n for n, c in counts(db).items() if c > before[n]}
    assert {
        "participant",
        "team",
        "response",
        "teamanswer",
        "owncustomer",
        "customerhypothesis",
        "plan",
        "planrevision",
        "planfeedback",
        "pointsentry",
        "earnedbadge",
        "activitystate",
        "activityvisit",
    } <= grown
    wrong = trainer.post(f"/control/{session_id}/erase", data={"confirm": "000000"})
    assert wrong.status_code == 400 and t("export.erase.wrong_code") in wrong.text
    assert {n for n, c in counts(db).items() if c > before[n]} == grown
    done = trainer.post(f"/control/{session_id}/erase", data={"confirm": code}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == f"/control/{session_id}?erased=1"
    db.expire_all()
    assert counts(db) == before  # every table: only the other session's rows are left
    assert db.get(LiveSession, session_id).status == "ended"
    assert db.get(LiveSession, other_id).status != "ended"
    assert t("export.erase.done") in trainer.get(done.headers["location"]).text


def test_after_erasing_no_page_is_online_and_the_control_page_says_ended(app, trainer, live):
    """A phone still open on the erased session is told and closed, so the control page counts
    nobody online in a session without trainees, and it shows the session ended, not a lobby."""
    session_id, code = live
    phone = join(app, code, "王芳")
    with phone.websocket_connect(f"/ws/play/{code}", headers=HEADERS) as ws:
        receive_until(ws, "play-stage")
        until(lambda: one(trainer.get(f"/control/{session_id}").text, "#online-count").text == "1 / 1")
        trainer.post(f"/control/{session_id}/erase", data={"confirm": code})
        assert t("play.data_erased") in receive_until(ws, t("play.data_erased"))
    until(lambda: one(trainer.get(f"/control/{session_id}").text, "#online-count").text == "0 / 0")
    current = one(trainer.get(f"/control/{session_id}").text, "#control-main .current").text
    assert t("live.ended_title") in current and t("control.lobby_hint") not in current


def test_erase_service_reports_what_it_deleted(built, db):
    session, people, _ = built
    deleted = erase.erase_personal_data(db, session.id)
    assert deleted["participant"] == 2 and deleted["plan"] == 2 and deleted["planrevision"] >= 2
    assert ledger.team_board(db, session.id) == []


def test_control_page_offers_the_exports(trainer, live):
    session_id, code = live
    page = Page(trainer.get(f"/control/{session_id}").text)
    links = {a.get("href") for t, a in page.tags if t == "a"}
    assert {f"/control/{session_id}/export/plans.zip", f"/control/{session_id}/export/workbook.xlsx"} <= links
    forms = [a for t, a in page.tags if t == "form" and a.get("action") == f"/control/{session_id}/erase"]
    assert forms and any(t == "input" and a.get("name") == "confirm" for t, a in page.tags)

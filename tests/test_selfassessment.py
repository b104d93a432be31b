"""The selfassessment kind: rate every item, get a profile beside the reference; the room's averages
on the screen once revealed; one score per item; every text escaped, in the SVG too."""

import random
import re
import statistics

import pytest
from pydantic import ValidationError
from sqlmodel import select

from app.course.loader import ContentErrors, load_courses
from app.kinds import KINDS
from app.live import responses, sessions
from app.models import Participant, Response
from app.modules.contract import ViewContext
from app.modules.selfassessment import SelfAssessmentConfig, averages, profile, room, strengths, summarise
from tests.support.clients import ORIGIN, join, post_action
from tests.support.content import with_activity
from tests.support.html import elements, texts
from tests.support.i18n import t
from tests.support.ws import receive_until

SA = "u1-self-assessment"  # the sample course's activity
HOSTILE = "test-sa-hostile"
ACTIVITY = """\
- id: test-sa-hostile
  kind: selfassessment
  title: {zh-CN: 自评, en: Self-assessment}
  minutes: 5
  scale: {min: 1, max: 3, low: {zh-CN: 少, en: Rarely}, high: {zh-CN: 多, en: Always}}
  reference_label: {zh-CN: "<b>参考</b>", en: "<b>Reference</b>"}
  reference: {a: 2, b: 2, c: 2, d: 2, e: 2}
  competencies:
"""
ACTIVITY += "".join(
    f"    - {{id: {c}, name: {{zh-CN: \"<script>alert('{c}')</script>\", en: Name}}, items: ["
    + ", ".join(f'{{id: {c}{n}, text: {{zh-CN: "<img src=x>我会{n}", en: I {n}}}}}' for n in range(3))
    + "]}\n"
    for c in "abcde"
)


@pytest.fixture
def settings(settings, tmp_path):
    return with_activity(settings, tmp_path, ACTIVITY)


def go(trainer, live, activity=SA):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": activity})
    return session_id, code


def rate(phone, code, item, score, activity=SA, status=200):
    return post_action(phone, code, "rate", activity, status, item=item, score=score)


def items(course, activity=SA) -> list[str]:
    return list(course.activity(activity).config.competency_of)


def numbers(page: str) -> list[str]:
    """The values written in the chart: per competency the averages', then the reference's."""
    return re.findall(r'class="sa-num"[^>]*>([\d.–]+)<', page)


# -- configuration -------------------------------------------------------------------------------


def config_data(competencies=5, per=3) -> dict:
    text = {"zh-CN": "文", "en": "Text"}
    return {
        "competencies": [
            {"id": f"c{c}", "name": text, "items": [{"id": f"c{c}-{i}", "text": text} for i in range(per)]}
            for c in range(competencies)
        ],
        "scale": {"min": 1, "max": 5, "low": text, "high": text},
        "reference": {f"c{c}": 4 for c in range(competencies)},
        "reference_label": text,
    }


def config_with(**change) -> dict:
    return {**config_data(), **change}


def test_a_sound_config_is_accepted():
    config = SelfAssessmentConfig.model_validate(config_data(7, 4))
    assert len(config.competency_of) == 28 and config.scale.scores == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"reference": {f"c{c}": 4 for c in range(4)}}, "reference: missing for c4"),
        ({"reference": {**config_data()["reference"], "c0": 5.5}}, "c0 must be between 1 and 5"),
        ({"reference": {**config_data()["reference"], "c3": 0}}, "c3 must be between 1 and 5"),
        ({"reference": {**config_data()["reference"], "zz": 3}}, "unknown competency zz"),
        ({"competencies": config_data()["competencies"][:1] * 5}, "competency ids must be distinct"),
        (
            {
                "competencies": [
                    {**c, "items": config_data()["competencies"][0]["items"]}
                    for c in config_data()["competencies"]
                ]
            },
            "item ids must be distinct",
        ),
        ({"competencies": config_data(4)["competencies"]}, "at least 5 items"),
        ({"competencies": config_data(8)["competencies"]}, "at most 7 items"),
        ({"competencies": config_data(5, 2)["competencies"]}, "at least 3 items"),
        ({"competencies": config_data(5, 5)["competencies"]}, "at most 4 items"),
        ({"scale": {**config_data()["scale"], "min": 5, "max": 5}}, "max must be greater than min"),
        ({"reference_label": None}, "valid dictionary"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_config_mistakes_are_refused(change, message):
    with pytest.raises(ValidationError, match=message):
        SelfAssessmentConfig.model_validate(config_with(**change))


@pytest.fixture
def course_copy_with(tmp_path, settings):
    def load(activity: str) -> list[str]:
        folder = with_activity(settings, tmp_path / "other", activity).content_dir
        with pytest.raises(ContentErrors) as caught:
            load_courses(folder, KINDS)
        return [str(e) for e in caught.value.errors]

    return load


def test_a_reference_missing_from_the_content_is_reported_by_file(course_copy_with):
    errors = course_copy_with(
        ACTIVITY.replace("reference: {a: 2, b: 2, c: 2, d: 2, e: 2}", "reference: {a: 2, b: 2, c: 2, d: 2}")
    )
    assert any("1-success-factors.yaml" in e and "reference: missing for e" in e for e in errors)


# -- profiles and the room (services) ------------------------------------------------------------


def answer(person: int, item: str, competency: str, score: int, total: int) -> Response:
    return Response(
        session_id=1,
        activity_id=SA,
        participant_id=person,
        item=item,
        value={"score": score, "competency": competency, "total": total},
    )


def random_questionnaire(rng: random.Random) -> dict[str, str]:
    """item id → competency id, 5–7 competencies of 3–4 items."""
    return {f"c{c}-{i}": f"c{c}" for c in range(rng.randint(5, 7)) for i in range(rng.randint(3, 4))}


def test_profiles_and_the_room_match_a_direct_computation():
    rng = random.Random(20240612)
    for _ in range(200):
        questionnaire, low, high = random_questionnaire(rng), rng.randint(0, 3), rng.randint(4, 10)
        total = len(questionnaire)
        rows, expected = [], {}
        for person in range(rng.randint(0, 12)):
            rated = [i for i in questionnaire if rng.random() < 0.97]  # some leave items out
            scores = {item: rng.randint(low, high) for item in rated}
            rows += [answer(person, i, questionnaire[i], s, total) for i, s in scores.items()]
            mine = averages(r.value for r in rows if r.participant_id == person)
            if len(rated) < total:
                assert mine is None
                continue
            direct = {
                c: statistics.fmean(s for i, s in scores.items() if questionnaire[i] == c)
                for c in set(questionnaire.values())
            }
            assert mine == pytest.approx(direct)
            expected[person] = direct
        found = summarise(rows)
        assert found["finished"] == len(expected)
        assert found["started"] == len({r.participant_id for r in rows})
        for competency, mean in found["averages"].items():
            assert mean == pytest.approx(statistics.fmean(p[competency] for p in expected.values()))
        assert set(found["averages"]) == (set(questionnaire.values()) if expected else set())


def test_answers_that_are_not_well_formed_are_left_out():
    odd = [{"score": "4", "competency": "a", "total": 1}, {"score": 4}, {"choices": ["x"]}]
    assert averages(odd) is None
    assert averages([{"score": 4, "competency": "a", "total": 1}]) == {"a": 4}


def test_strengths_are_the_two_highest_ties_in_content_order():
    config = SelfAssessmentConfig.model_validate(config_data(6))
    values = {"c0": 3.0, "c1": 4.5, "c2": 4.0, "c3": 4.5, "c4": 4.0, "c5": 1.0}
    assert [c.id for c in strengths(config, values)] == ["c1", "c3"]
    assert [c.id for c in strengths(config, {**values, "c3": 3.9})] == ["c1", "c2"]


# -- over HTTP and websockets --------------------------------------------------------------------


def test_answer_change_close_reveal(app, trainer, live, course, db):
    session_id, code = go(trainer, live)
    ids = items(course)
    first, second, third = join(app, code, "甲"), join(app, code, "乙"), join(app, code, "丙")
    mine = rate(first, code, ids[0], 2)
    assert elements(mine, ".score[value='2'][aria-pressed=true]")
    assert "sa-profile" not in mine and t("selfassessment.progress", done=1, total=20) in mine
    rate(first, code, ids[0], 4)  # changed my mind: still one score
    for item in ids[1:]:
        rate(first, code, item, 4)
    mine = rate(first, code, ids[-1], 5)  # the last item (learning) now 5: (4 + 4 + 5) / 3
    assert elements(mine, "#sa-profile") and elements(mine, "[href='#sa-profile']")
    assert numbers(mine)[:2] == ["4.0", "4.5"] and numbers(mine)[-2:] == ["4.3", "4.3"]
    assert t("selfassessment.strengths") in mine
    assert texts(mine, "li > strong") == ["学习与专业知识", "区域规划与拜访计划"]
    for item in ids:
        rate(second, code, item, 2)
    rate(third, code, ids[0], 5)  # started, not finished: not in the room's averages
    assert profile(db, session_id, SA, participant_id(db, session_id, "丙")) is None
    found = room(db, session_id, SA)
    assert found["finished"] == 2 and found["started"] == 3
    assert found["averages"]["planning"] == pytest.approx(3.0)
    assert found["averages"]["learning"] == pytest.approx((13 / 3 + 2) / 2)
    control = trainer.get(f"/control/{session_id}").text
    assert (
        t("selfassessment.finished", n=2) in control
        and t("selfassessment.started", n=3) in control
        and numbers(control)[:2] == ["3.0", "4.5"]
    )
    screen = trainer.get(f"/screen/{session_id}").text
    assert "sa-chart" not in screen and t("selfassessment.finished", n=2) in screen  # hidden until revealed
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    assert t("activity.error.closed") in rate(first, code, ids[0], 1, status=409)
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert numbers(screen) == [
        "3.0",
        "4.5",
        "3.0",
        "4.6",
        "3.0",
        "4.4",
        "3.0",
        "4.2",
        "3.0",
        "4.7",
        "3.2",
        "4.3",
    ]
    assert t("selfassessment.series_room") in screen and "绩效先锋参考" in screen and "sa-screen" in screen
    assert "sa-profile" in first.get(f"/play/{code}").text  # the profile stays on the phone
    closed_for_third = third.get(f"/play/{code}").text
    assert (
        t("selfassessment.unfinished", done=1, total=20) in closed_for_third
        and "sa-profile" not in closed_for_third
    )
    assert KINDS.get("selfassessment").results(context(db, course, session_id))["finished"] == 2


def participant_id(db, session_id: int, name: str) -> int:
    query = select(Participant).where(Participant.session_id == session_id, Participant.display_name == name)
    return db.exec(query).one().id


def context(db, course, session_id) -> ViewContext:
    return ViewContext(db, sessions.get(db, session_id), course, course.activity(SA), None, "zh-CN")


def test_double_submit_counts_once(app, trainer, live, course, db):
    session_id, code = go(trainer, live)
    phone = join(app, code, "甲")
    for _ in range(3):
        rate(phone, code, items(course)[0], 3)
    assert responses.respondents(db, session_id, SA) == 1
    assert len(responses.every(db, session_id, SA)) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"item": "nonsense", "score": 3},
        {"item": "plan-week", "score": 6},
        {"item": "plan-week", "score": 0},
        {"item": "plan-week", "score": "many"},
        {"item": "planning", "score": 3},  # a competency is not an item
        {"score": 3},
    ],
)
def test_bad_ratings_are_told(app, trainer, live, payload):
    session_id, code = go(trainer, live)
    phone = join(app, code, "甲")
    response = phone.post(
        f"/play/{code}/act/rate", data={"activity": SA, **payload}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and t("activity.error.invalid") in response.text


def test_a_reconnecting_trainee_sees_their_profile(app, trainer, live, course):
    session_id, code = go(trainer, live)
    phone = join(app, code, "甲")
    for n, item in enumerate(items(course)):
        rate(phone, code, item, 1 + n % 5)
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "data-snapshot")  # the room's stage, then their own part
        own = receive_until(ws, 'id="play-own"')
        assert elements(own, "#sa-profile") and t("selfassessment.progress", done=20, total=20) in own
        assert len(numbers(own)) == 12


def test_content_is_escaped_in_the_svg(app, trainer, live, course):
    session_id, code = go(trainer, live, HOSTILE)
    phone = join(app, code, "甲")
    for item in items(course, HOSTILE):
        rated = rate(phone, code, item, 3, activity=HOSTILE)
    assert "&lt;img src=x&gt;我会0" in rated
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    screen, control = trainer.get(f"/screen/{session_id}").text, trainer.get(f"/control/{session_id}").text
    for page in (rated, screen, control):
        svg = re.search(r'<svg class="sa-chart.*?</svg>', page, re.S).group(0)
        assert "&lt;script&gt;alert(&#39;a&#39;)&lt;/script&gt;" in svg and "<script" not in svg
        assert "&lt;b&gt;参考&lt;/b&gt;" in svg and "<b>" not in svg
        assert "<script>alert" not in page and "<img" not in page

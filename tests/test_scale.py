"""The scale kind: rate, change, close, reveal; averages and distributions; one score per statement."""

import random
import re
import statistics
from collections import Counter

import pytest
from pydantic import ValidationError

from app.kinds import KINDS
from app.live import responses, sessions
from app.models import Response
from app.modules.contract import ViewContext
from app.modules.scale import ScaleConfig, summarise
from tests.support.clients import ORIGIN, join, post_action
from tests.support.content import SCALE as ACTIVITY
from tests.support.content import with_activity
from tests.support.html import elements
from tests.support.i18n import t
from tests.support.ws import receive_until

SCALE = "test-scale"


@pytest.fixture
def settings(settings, tmp_path):
    return with_activity(settings, tmp_path, ACTIVITY)


@pytest.fixture
def scale_open(trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": SCALE})
    return session_id, code


def rate(phone, code, statement, score, activity=SCALE, status=200):
    return post_action(phone, code, "rate", activity, status, statement=statement, score=score)


def averages(page: str) -> list[str]:
    return re.findall(r'class="scale-average">.*?<strong>([\d.–]+)</strong>', page)


def distribution(page: str) -> list[str]:
    return re.findall(r'class="dist-n">(\d+)<', page)


def answer(person: int, item: str, score) -> Response:
    return Response(session_id=1, activity_id=SCALE, participant_id=person, item=item, value={"score": score})


def config(low=1, high=5, ids=("a", "b")) -> ScaleConfig:
    text = {"zh-CN": "陈述", "en": "Statement"}
    return ScaleConfig(statements=[{"id": i, "text": text} for i in ids], min=low, max=high)


def test_averages_and_distributions():
    result = summarise(config(), [answer(1, "a", 4), answer(2, "a", 5), answer(3, "a", 5), answer(1, "b", 1)])
    a, b = result["statements"]["a"], result["statements"]["b"]
    assert a["average"] == 4.7 and a["counts"] == {1: 0, 2: 0, 3: 0, 4: 1, 5: 2} and a["n"] == 3
    assert a["percent"][5] == 67 and b["average"] == 1.0
    assert result["respondents"] == 3


def test_nothing_rated_yet_has_no_average():
    result = summarise(config(0, 10), [])
    assert result["statements"]["a"] == {
        "counts": dict.fromkeys(range(11), 0),
        "percent": dict.fromkeys(range(11), 0),
        "n": 0,
        "average": None,
    }
    assert result["respondents"] == 0


def test_answers_the_content_no_longer_allows_are_left_out():
    result = summarise(config(1, 5), [answer(1, "gone", 3), answer(2, "a", 9), answer(3, "a", None)])
    assert result["statements"]["a"]["n"] == 0 and result["respondents"] == 0


def test_averages_match_a_direct_computation():
    rng = random.Random(20240611)
    for _ in range(200):
        low = rng.randint(0, 9)
        high = rng.randint(low + 1, min(10, low + 10))
        ids = [f"s{n}" for n in range(rng.randint(1, 12))]
        rows = [
            answer(person, item, rng.randint(low, high))
            for person in range(rng.randint(0, 40))
            for item in ids
            if rng.random() < 0.8
        ]
        result = summarise(config(low, high, ids), rows)
        for item in ids:
            scores = [r.value["score"] for r in rows if r.item == item]
            row = result["statements"][item]
            assert row["counts"] == {s: Counter(scores)[s] for s in range(low, high + 1)}
            if scores:
                assert abs(row["average"] - statistics.fmean(scores)) <= 0.05 + 1e-9
            else:
                assert row["average"] is None
        assert result["respondents"] == len({r.participant_id for r in rows})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"min": 3, "max": 3}, "max must be greater than min"),
        ({"min": 5, "max": 1}, "max must be greater than min"),
        ({"max": 11}, "less than or equal to 10"),
        ({"min": -1}, "greater than or equal to 0"),
        ({"statements": []}, "at least 1 item"),
        (
            {"statements": [{"id": f"s{n}", "text": {"zh-CN": "甲", "en": "A"}} for n in range(13)]},
            "at most 12",
        ),
        (
            {"statements": [{"id": "a", "text": {"zh-CN": "甲", "en": "A"}}] * 2},
            "statement ids must be distinct",
        ),
        ({"statements": [{"id": "a", "text": {"zh-CN": "甲"}}]}, "missing text for en"),
        ({"labels": {"low": {"zh-CN": "低", "en": "Low"}}}, "Field required"),
        ({"colour": "red"}, "Extra inputs are not permitted"),
    ],
)
def test_config_mistakes_are_refused(change, message):
    good = config().model_dump()
    with pytest.raises(ValidationError, match=message):
        ScaleConfig.model_validate({**good, **change})


def test_rate_change_close_reveal(app, trainer, scale_open, course, db):
    session_id, code = scale_open
    first, second = join(app, code, "甲"), join(app, code, "乙")
    mine = rate(first, code, "plan", 2)
    assert elements(mine, ".score[value='2'][aria-pressed=true]")
    rate(first, code, "plan", 4)  # changed my mind: still one score
    rate(first, code, "listen", 5)
    rate(second, code, "plan", 5)
    control = trainer.get(f"/control/{session_id}").text
    assert averages(control) == ["4.5", "5.0"]
    assert distribution(control) == ["0", "0", "0", "1", "1", "0", "0", "0", "0", "1"]
    screen = trainer.get(f"/screen/{session_id}").text
    assert "dist-n" not in screen and t("scale.respondents", n=2) in screen  # hidden until revealed
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    assert t("activity.error.closed") in rate(first, code, "plan", 1, status=409)
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    screen = trainer.get(f"/screen/{session_id}").text
    assert averages(screen) == ["4.5", "5.0"] and "1 = 完全不同意" in screen
    assert f"{t('scale.your_score')} 4" in first.get(f"/play/{code}").text
    context = ViewContext(db, sessions.get(db, session_id), course, course.activity(SCALE), None, "zh-CN")
    assert KINDS.get("scale").results(context)["statements"]["plan"]["counts"][4] == 1


def test_double_submit_counts_once(app, scale_open, db):
    session_id, code = scale_open
    phone = join(app, code, "甲")
    for _ in range(3):
        rate(phone, code, "plan", 3)
    assert responses.respondents(db, session_id, SCALE) == 1
    assert len(responses.every(db, session_id, SCALE)) == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"statement": "nonsense", "score": 3},
        {"statement": "plan", "score": 6},
        {"statement": "plan", "score": 0},
        {"statement": "plan", "score": "many"},
        {"statement": "plan"},
        {"score": 3},
    ],
)
def test_bad_ratings_are_told(app, scale_open, payload):
    session_id, code = scale_open
    phone = join(app, code, "甲")
    response = phone.post(
        f"/play/{code}/act/rate", data={"activity": SCALE, **payload}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400 and t("activity.error.invalid") in response.text


def test_a_reconnecting_trainee_sees_their_own_scores(app, scale_open):
    session_id, code = scale_open
    phone = join(app, code, "甲")
    rate(phone, code, "listen", 3)
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "data-snapshot")  # the room's stage, then their own part
        own = receive_until(ws, 'id="play-own"')
        assert re.search(
            r'name="statement" value="listen">\s*<div[^>]*>(?:\s*<button[^>]*>[12]</button>)*'
            r'\s*<button[^>]*value="3" class="score" aria-pressed="true"',
            own,
        )
        assert t("scale.progress", done=1, total=2) in own

"""The ranking kind: order, reorder, close, reveal; average places best first; one order per trainee."""

import random
import re

import pytest
from pydantic import ValidationError

from app.kinds import KINDS
from app.live import responses, sessions
from app.models import Response
from app.modules.contract import ViewContext
from app.modules.ranking import RankingConfig, summarise
from tests.support.clients import ORIGIN, join, post_action
from tests.support.content import with_activity
from tests.support.html import texts
from tests.support.i18n import t
from tests.support.ws import receive_until

RANKING = "test-ranking"
ITEMS = ["evidence", "trust", "price", "habit"]
ACTIVITY = """\
- id: test-ranking
  kind: ranking
  title: {zh-CN: 影响处方的因素, en: What drives prescribing}
  minutes: 5
  prompt: {zh-CN: 哪些因素最影响医生的处方？, en: "What most affects a doctor's prescribing?"}
  items:
    - {id: evidence, text: {zh-CN: 临床证据, en: Clinical evidence}}
    - {id: trust, text: {zh-CN: 对代表的信任, en: Trust in the rep}}
    - {id: price, text: {zh-CN: 价格与医保, en: Price and reimbursement}}
    - {id: habit, text: {zh-CN: 用药习惯, en: Habit}}
"""


@pytest.fixture
def settings(settings, tmp_path):
    return with_activity(settings, tmp_path, ACTIVITY)


@pytest.fixture
def ranking_open(trainer, live):
    session_id, code = live
    trainer.post(f"/control/{session_id}/go", data={"activity": RANKING})
    return session_id, code


def submit(phone, code, order, activity=RANKING, status=200):
    return post_action(phone, code, "order", activity, status, order=order)


def results(page: str) -> list[tuple[str, str]]:
    """(item text, average place) in the order shown."""
    return re.findall(
        r'class="rank-no">\d+\.</strong> ([^<]+?)(?: <span[^>]*>[^<]*</span>)?</span>.*?'
        r'class="bar-value">平均第 ([\d.]+) 名',
        page,
        re.S,
    )


def answer(person: int, order) -> Response:
    return Response(session_id=1, activity_id=RANKING, participant_id=person, value={"order": order})


def config(ids=("a", "b", "c", "d")) -> RankingConfig:
    text = {"zh-CN": "项目", "en": "Item"}
    return RankingConfig(prompt=text, items=[{"id": i, "text": text} for i in ids])


def test_average_places_best_first():
    result = summarise(
        config(),
        [answer(1, ["b", "a", "c", "d"]), answer(2, ["b", "c", "a", "d"]), answer(3, ["a", "b", "d", "c"])],
    )
    assert [(row["id"], row["average"]) for row in result["ranked"]] == [
        ("b", 1.3),
        ("a", 2.0),
        ("c", 3.0),
        ("d", 3.7),
    ]
    assert result["respondents"] == 3
    assert result["ranked"][0]["width"] == 89 and result["ranked"][-1]["width"] == 11


def test_ties_keep_the_content_order_and_no_answers_have_no_average():
    tied = summarise(config(), [answer(1, ["d", "c", "b", "a"]), answer(2, ["a", "b", "c", "d"])])
    assert [row["id"] for row in tied["ranked"]] == ["a", "b", "c", "d"]
    empty = summarise(config(), [])
    assert [(row["id"], row["average"], row["width"]) for row in empty["ranked"]] == [
        ("a", None, 0),
        ("b", None, 0),
        ("c", None, 0),
        ("d", None, 0),
    ]


def test_orders_the_content_no_longer_matches_are_left_out():
    result = summarise(
        config(),
        [
            answer(1, ["a", "b", "c"]),
            answer(2, ["a", "a", "b", "c"]),
            answer(3, "abcd"),
            answer(4, ["a", "b", "c", "e"]),
        ],
    )
    assert result["respondents"] == 0


def test_average_places_match_a_direct_computation():
    rng = random.Random(8675309)
    for _ in range(200):
        ids = [f"i{n}" for n in range(rng.randint(3, 8))]
        orders = [rng.sample(ids, len(ids)) for _ in range(rng.randint(0, 40))]
        result = summarise(config(ids), [answer(p, order) for p, order in enumerate(orders)])
        assert result["respondents"] == len(orders)
        assert sorted(row["id"] for row in result["ranked"]) == sorted(ids)
        for row in result["ranked"]:
            if orders:
                exact = sum(order.index(row["id"]) + 1 for order in orders) / len(orders)
                assert abs(row["average"] - exact) <= 0.05 + 1e-9
            else:
                assert row["average"] is None
        shown = [row["average"] for row in result["ranked"] if row["average"] is not None]
        assert shown == sorted(shown)  # best (lowest place) first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"items": [{"id": "a", "text": {"zh-CN": "甲", "en": "A"}}] * 3}, "item ids must be distinct"),
        ({"items": [{"id": f"i{n}", "text": {"zh-CN": "甲", "en": "A"}} for n in range(2)]}, "at least 3"),
        ({"items": [{"id": f"i{n}", "text": {"zh-CN": "甲", "en": "A"}} for n in range(9)]}, "at most 8"),
        ({"items": [{"id": f"I {n}", "text": {"zh-CN": "甲", "en": "A"}} for n in range(3)]}, "pattern"),
        ({"prompt": {"en": "Order"}}, "missing text for zh-CN"),
        ({"shuffle": True}, "Extra inputs are not permitted"),
    ],
)
def test_config_mistakes_are_refused(change, message):
    good = config().model_dump()
    with pytest.raises(ValidationError, match=message):
        RankingConfig.model_validate({**good, **change})


def test_order_change_close_reveal(app, trainer, ranking_open, course, db):
    session_id, code = ranking_open
    first, second = join(app, code, "甲"), join(app, code, "乙")
    mine = submit(first, code, ["habit", "price", "trust", "evidence"])
    assert texts(mine, "[data-item=habit][aria-pressed=true] > .rank-place") == ["1"]
    submit(first, code, ["evidence", "trust", "price", "habit"])  # reordered: still one answer
    submit(second, code, ["trust", "evidence", "habit", "price"])
    control = trainer.get(f"/control/{session_id}").text
    assert results(control) == [
        ("临床证据", "1.5"),
        ("对代表的信任", "1.5"),
        ("价格与医保", "3.5"),
        ("用药习惯", "3.5"),
    ]
    screen = trainer.get(f"/screen/{session_id}").text
    assert "bar-value" not in screen and t("ranking.respondents", n=2) in screen  # hidden until revealed
    trainer.post(f"/control/{session_id}/phase", data={"phase": "closed"})
    assert t("activity.error.closed") in submit(first, code, ITEMS, status=409)
    closed = first.get(f"/play/{code}").text
    assert texts(closed, ".rank-mine > li")[:2] == ["临床证据", "对代表的信任"]
    trainer.post(f"/control/{session_id}/phase", data={"phase": "revealed"})
    assert results(trainer.get(f"/screen/{session_id}").text)[0] == ("临床证据", "1.5")
    assert t("ranking.your_place", n=2) in second.get(f"/play/{code}").text
    context = ViewContext(db, sessions.get(db, session_id), course, course.activity(RANKING), None, "zh-CN")
    assert KINDS.get("ranking").results(context)["respondents"] == 2


def test_double_submit_counts_once(app, ranking_open, db):
    session_id, code = ranking_open
    phone = join(app, code, "甲")
    for _ in range(3):
        submit(phone, code, ITEMS)
    assert responses.respondents(db, session_id, RANKING) == 1
    assert len(responses.every(db, session_id, RANKING)) == 1


@pytest.mark.parametrize(
    "order",
    [
        ["evidence", "trust", "price"],  # one missing
        ["evidence", "trust", "price", "price"],  # one twice
        ["evidence", "trust", "price", "habit", "habit"],
        ["evidence", "trust", "price", "nonsense"],
        ["evidence"],
        [],
        ["x" * 40, "trust", "price", "habit"],
    ],
)
def test_bad_orders_are_told(app, ranking_open, order):
    session_id, code = ranking_open
    phone = join(app, code, "甲")
    assert t("activity.error.invalid") in submit(phone, code, order, status=400)


def test_a_reconnecting_trainee_sees_their_own_order(app, ranking_open):
    session_id, code = ranking_open
    phone = join(app, code, "甲")
    submit(phone, code, ["price", "habit", "evidence", "trust"])
    with phone.websocket_connect(f"/ws/play/{code}", headers={"origin": ORIGIN}) as ws:
        receive_until(ws, "data-snapshot")  # the room's stage, then their own part
        own = receive_until(ws, 'id="play-own"')
        order = re.findall(r'name="order" value="([a-z]+)"', own)
        assert order == ["price", "habit", "evidence", "trust"]
        assert texts(own, "[data-item=trust][aria-pressed=true] > .rank-place") == ["4"]

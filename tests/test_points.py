"""The points ledger and its boards, against a real database."""

import itertools
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, col, func, select

from app.errors import ServiceError
from app.live import participants, sessions, teams
from app.points import ledger
from app.points.models import PointsEntry


@pytest.fixture
def session(db, course, facilitator):
    return sessions.open_session(db, course, facilitator.id)


NAMES = itertools.count()


def people(db, session, *names):
    return [participants.join(db, session, name)[0] for name in names]


def give(db, session, who, points, key, activity="u1-quiz", team_id=None):
    return ledger.award(
        db,
        session.id,
        activity_id=activity,
        reason="quiz.correct",
        points=points,
        key=key,
        participant_id=who.id if who else None,
        team_id=team_id,
    )


def test_the_same_key_scores_once(db, session):
    team = teams.create(db, session.id, "红队")
    (me,) = people(db, session, "A")
    teams.move(db, session.id, me.id, team.id)
    first = give(db, session, me, 10, "quiz1:A")
    again = give(db, session, me, 10, "quiz1:A")
    assert again.id == first.id
    assert len(ledger.history(db, session.id, me.id)) == 1
    assert ledger.team_board(db, session.id)[0].points == 10
    assert ledger.rank_of(db, session.id, me.id).points == 10


def test_a_key_awarded_concurrently_returns_the_winners_row(db, session, monkeypatch):
    (me,) = people(db, session, "A")
    with Session(db.get_bind()) as other:  # another request wins the race between check and insert
        other.add(
            PointsEntry(
                session_id=session.id,
                participant_id=me.id,
                activity_id="u1-quiz",
                reason="quiz.correct",
                points=7,
                key="k",
            )
        )
        other.commit()
    looks = iter([lambda *args: set()])  # the first look misses: the other insert was not committed yet
    real = ledger._existing_keys
    monkeypatch.setattr(ledger, "_existing_keys", lambda *args: next(looks, real)(*args))
    entry = give(db, session, me, 10, "k")
    assert entry.points == 7
    assert db.exec(select(func.count()).select_from(PointsEntry)).one() == 1


def test_the_same_key_in_another_session_is_another_award(db, session, course, facilitator):
    other = sessions.open_session(db, course, facilitator.id)
    (a,) = people(db, session, "A")
    (b,) = people(db, other, "B")
    assert give(db, session, a, 1, "k").id != give(db, other, b, 1, "k").id


def test_team_is_captured_at_award_time(db, session):
    red, blue = teams.create(db, session.id, "红队"), teams.create(db, session.id, "蓝队")
    (me,) = people(db, session, "A")
    teams.move(db, session.id, me.id, red.id)
    assert give(db, session, me, 5, "one").team_id == red.id
    teams.move(db, session.id, me.id, blue.id)
    give(db, session, me, 3, "two")
    board = {score.name: score.points for score in ledger.team_board(db, session.id)}
    assert board == {"红队": 5, "蓝队": 3}
    assert ledger.rank_of(db, session.id, me.id).points == 8


def test_a_person_without_a_team_scores_only_for_themselves(db, session):
    teams.create(db, session.id, "红队")
    (me,) = people(db, session, "A")
    assert give(db, session, me, 4, "k").team_id is None
    assert ledger.team_board(db, session.id)[0].points == 0
    assert ledger.individual_top(db, session.id)[0].points == 4


def test_team_only_awards_and_negative_corrections(db, session):
    team = teams.create(db, session.id, "红队")
    give(db, session, None, 20, "bonus", team_id=team.id)
    give(db, session, None, -5, "bonus-fix", team_id=team.id)
    assert ledger.team_board(db, session.id)[0].points == 15


def test_sum_and_average_modes(db, session):
    big, small, empty = (teams.create(db, session.id, name) for name in ("大组", "小组", "空组"))
    a, b, c, d = people(db, session, "A", "B", "C", "D")
    for person in (a, b, c):
        teams.move(db, session.id, person.id, big.id)
    teams.move(db, session.id, d.id, small.id)
    give(db, session, a, 6, "a")
    give(db, session, b, 3, "b")  # c has nothing: still counts as a member
    give(db, session, d, 5, "d")
    by_sum = [(s.name, s.points, s.rank) for s in ledger.team_board(db, session.id)]
    assert by_sum == [("大组", 9, 1), ("小组", 5, 2), ("空组", 0, 3)]
    by_average = [(s.name, s.points, s.rank) for s in ledger.team_board(db, session.id, mode="average")]
    assert by_average == [("小组", 5, 1), ("大组", 3, 2), ("空组", 0, 3)]
    with pytest.raises(ValueError):
        ledger.team_board(db, session.id, mode="median")


def test_ties_share_a_rank(db, session):
    red, blue, green = (teams.create(db, session.id, name) for name in ("红", "蓝", "绿"))
    a, b, c, d = people(db, session, "A", "B", "C", "D")
    for person, team in ((a, red), (b, blue), (c, green), (d, green)):
        teams.move(db, session.id, person.id, team.id)
    give(db, session, a, 5, "a")
    give(db, session, b, 5, "b")
    give(db, session, c, 2, "c")
    assert [(s.name, s.rank) for s in ledger.team_board(db, session.id)] == [("红", 1), ("蓝", 1), ("绿", 3)]
    top = ledger.individual_top(db, session.id, n=3)
    assert [(s.display_name, s.points, s.rank) for s in top] == [("A", 5, 1), ("B", 5, 1), ("C", 2, 3)]
    assert ledger.rank_of(db, session.id, b.id) == ledger.PersonRank(rank=1, points=5, out_of=4)
    assert ledger.rank_of(db, session.id, d.id) == ledger.PersonRank(rank=4, points=0, out_of=4)


def test_boards_can_show_one_unit(db, session):
    team = teams.create(db, session.id, "红队")
    a, b = people(db, session, "A", "B")
    teams.move(db, session.id, a.id, team.id)
    give(db, session, a, 10, "a1", activity="u1-quiz")
    give(db, session, b, 4, "b2", activity="u2-quiz")
    assert ledger.team_board(db, session.id, activities={"u2-quiz"})[0].points == 0
    assert ledger.team_board(db, session.id, activities={"u1-quiz", "u2-quiz"})[0].points == 10
    top = ledger.individual_top(db, session.id, activities={"u2-quiz"})
    assert [(s.display_name, s.points, s.rank) for s in top] == [("B", 4, 1), ("A", 0, 2)]
    assert ledger.rank_of(db, session.id, a.id, activities={"u2-quiz"}) == ledger.PersonRank(2, 0, 2)
    assert ledger.rank_of(db, session.id, a.id, activities=set()).rank == 1


def test_top_shows_only_the_first_few(db, session):
    everyone = people(db, session, *(f"学员{n}" for n in range(8)))
    for n, person in enumerate(everyone):
        give(db, session, person, n, f"k{n}")
    top = ledger.individual_top(db, session.id, n=3)
    assert [s.display_name for s in top] == ["学员7", "学员6", "学员5"]
    assert ledger.rank_of(db, session.id, everyone[0].id) == ledger.PersonRank(rank=8, points=0, out_of=8)


def test_rank_of_someone_without_points(db, session):
    a, b = people(db, session, "A", "B")
    give(db, session, a, 3, "a")
    assert ledger.rank_of(db, session.id, b.id) == ledger.PersonRank(rank=2, points=0, out_of=2)
    assert ledger.history(db, session.id, b.id) == []


def test_people_and_teams_of_another_session_are_refused(db, session, course, facilitator):
    other = sessions.open_session(db, course, facilitator.id)
    (stranger,) = people(db, other, "X")
    their_team = teams.create(db, other.id, "外队")
    (me,) = people(db, session, "A")
    for award in (
        {"participant_id": stranger.id},
        {"participant_id": me.id, "team_id": their_team.id},
        {"team_id": their_team.id},
    ):
        with pytest.raises(ServiceError) as caught:
            ledger.award(
                db,
                session.id,
                activity_id="u1-quiz",
                reason="quiz.correct",
                points=1,
                key=str(award),
                **award,
            )
        assert caught.value.key == "error.not_found" and caught.value.status == 404
    with pytest.raises(ServiceError, match="error.not_found"):
        ledger.rank_of(db, session.id, stranger.id)
    assert db.exec(select(func.count()).select_from(PointsEntry)).one() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"points": 10_001},
        {"points": -10_001},
        {"key": ""},
        {"key": "k" * 129},
        {"reason": "r" * 65},
        {"participant_id": None},
    ],
)
def test_bad_awards_are_refused(db, session, change):
    (me,) = people(db, session, "A")
    award = {
        "activity_id": "u1-quiz",
        "reason": "quiz.correct",
        "points": 10_000,
        "key": "k",
        "participant_id": me.id,
    } | change
    with pytest.raises(ServiceError, match="error.bad_request"):
        ledger.award(db, session.id, **award)


def test_a_team_removed_by_rebalancing_keeps_its_members_points(db, session):
    a, b = people(db, session, "A", "B")
    teams.auto_balance(db, session.id, 2, lambda n: f"第 {n} 组")
    give(db, session, a, 3, "a")
    give(db, session, b, 4, "b")
    teams.auto_balance(db, session.id, 1, lambda n: f"第 {n} 组")
    assert [s.points for s in ledger.team_board(db, session.id)] == [3]
    assert ledger.rank_of(db, session.id, b.id).points == 4


@pytest.mark.parametrize("seed", range(5))
def test_team_board_sums_every_team_entry(db, session, seed):
    rng = random.Random(seed)
    made = [teams.create(db, session.id, f"队{n}") for n in range(rng.randint(1, 4))]
    everyone = people(db, session, *(f"学员{n}" for n in range(rng.randint(1, 8))))
    for _ in range(40):
        if rng.random() < 0.2:  # people move between teams (or out of any) mid-game
            team = rng.choice([*made, None])
            teams.move(db, session.id, rng.choice(everyone).id, team and team.id)
        who = rng.choice([*everyone, None])
        team_id = rng.choice(made).id if who is None else None
        give(
            db,
            session,
            who,
            rng.randint(-5, 20),
            f"k{rng.randint(0, 30)}",
            activity=rng.choice(["u1-quiz", "u2-quiz"]),
            team_id=team_id,
        )
    entries = db.exec(select(PointsEntry).where(PointsEntry.session_id == session.id)).all()
    for activities in (None, {"u1-quiz"}):
        kept = [
            e
            for e in entries
            if e.team_id is not None and (activities is None or e.activity_id in activities)
        ]
        board = ledger.team_board(db, session.id, activities=activities)
        assert sum(score.points for score in board) == sum(e.points for e in kept)
        for score in board:
            assert score.points == sum(e.points for e in kept if e.team_id == score.team_id)
        assert [score.rank for score in board] == sorted(score.rank for score in board)
    people_total = sum(ledger.rank_of(db, session.id, p.id).points for p in everyone)
    assert people_total == sum(e.points for e in entries if e.participant_id is not None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(-50, 50), st.sampled_from("abcd")), max_size=30))
def test_awards_given_together_are_kept_once_per_key(db, session, plan):
    """However a reveal's awards repeat and overlap earlier ones, each key is kept once, with the
    points it first came with."""
    crew = people(db, session, *(f"h{next(NAMES)}" for _ in range(3)))  # new trainees each example
    awards = [_award(crew[who], points, key) for who, points, key in plan]
    earlier, now = awards[: len(awards) // 2], awards
    expected: dict[str, int] = {}
    for a in earlier + now:
        expected.setdefault(a.key, a.points)
    ledger.award_all(db, session.id, earlier)
    before = len(_rows_of(db, crew))
    added = ledger.award_all(db, session.id, now)
    stored = _rows_of(db, crew)
    assert {entry.key: entry.points for entry in stored} == expected
    assert len(stored) == len(expected) and added == len(stored) - before


def _award(who, points: int, key: str) -> ledger.Award:
    return ledger.Award("u1-quiz", "quiz.correct", points, f"{who.id}:{key}", participant_id=who.id)


def _rows_of(db, crew) -> list[PointsEntry]:
    query = select(PointsEntry).where(col(PointsEntry.participant_id).in_([p.id for p in crew]))
    return list(db.exec(query))

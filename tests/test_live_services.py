"""Service functions of the live-session core, against a real database."""

import pytest

from app.errors import ServiceError
from app.live import participants, sessions, teams
from app.live.names import name_key


@pytest.fixture
def session(db, course, facilitator):
    return sessions.open_session(db, course, facilitator.id)


def test_join_codes_are_six_digits_and_unique_among_live_sessions(db, course, facilitator):
    opened = [sessions.open_session(db, course, facilitator.id) for _ in range(30)]
    codes = [s.code for s in opened]
    assert all(len(c) == 6 and c.isdigit() for c in codes)
    assert len(set(codes)) == len(codes)


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("", "join.error.name_empty"),
        ("   \u200b ", "join.error.name_empty"),
        ("长" * 25, "join.error.name_long"),
    ],
)
def test_bad_names_are_refused(db, session, name, key):
    with pytest.raises(ServiceError) as caught:
        participants.join(db, session, name)
    assert caught.value.key == key


def test_a_name_is_taken_whatever_its_width_or_case(db, session):
    participants.join(db, session, "Li Na")
    for twin in ("li  na", "ＬＩ ＮＡ", " LiNa "):
        with pytest.raises(ServiceError) as caught:
            participants.join(db, session, twin)
        assert caught.value.key == "join.error.name_taken"
    assert name_key("Ｌｉ Ｎａ") == "lina"


def test_no_joining_a_locked_ended_or_missing_session(db, session, course):
    sessions.set_locked(db, session, True)
    with pytest.raises(ServiceError, match="join.error.locked"):
        participants.join(db, session, "A")
    sessions.set_locked(db, session, False)
    participants.join(db, session, "A")
    sessions.end(db, session)
    with pytest.raises(ServiceError, match="join.error.ended"):
        participants.join(db, session, "B")
    with pytest.raises(ServiceError, match="join.error.no_session"):
        participants.join(db, None, "C")


def test_token_identifies_one_participant_of_one_session(db, session, course, facilitator):
    me, token = participants.join(db, session, "张伟")
    other = sessions.open_session(db, course, facilitator.id)
    assert participants.by_token(db, session.id, token).id == me.id
    assert participants.by_token(db, other.id, token) is None
    assert participants.by_token(db, session.id, token + "x") is None
    assert me.token_hash != token and len(token) >= 32


def test_a_seat_is_found_in_the_session_its_code_names_with_that_sessions_cookie(
    db, session, course, facilitator
):
    """One statement finds the session and the seat; as before, the live session with a code
    wins over an ended one that had it, and a token counts only under its own session's cookie."""
    me, token = participants.join(db, session, "张伟")
    other = sessions.open_session(db, course, facilitator.id)
    stranger, stranger_token = participants.join(db, other, "李雷")
    cookies = {participants.token_cookie(session.id): token, participants.token_cookie(other.id): "x"}
    found = participants.seated(db, sessions.of_code(session.code), participants.seat_tokens(cookies))
    assert found is not None and found[0].id == session.id and found[1].id == me.id
    swapped = {participants.token_cookie(session.id): stranger_token}  # a token of another session
    assert participants.seated(db, sessions.of_code(session.code), participants.seat_tokens(swapped)) is None
    sessions.end(db, session)
    later = sessions.open_session(db, course, facilitator.id)
    later.code = session.code  # the code is free again once its session ended
    db.add(later)
    db.commit()
    assert participants.seated(db, sessions.of_code(session.code), participants.seat_tokens(cookies)) is None
    assert participants.seat_tokens({"kam_p12": "t", "kam_px": "u", "other": "v"}) == {12: "t"}


def test_reclaim_moves_the_seat_and_retires_the_old_token(db, session):
    me, old_token = participants.join(db, session, "王芳")
    with pytest.raises(ServiceError, match="join.error.rejoin_code"):
        participants.reclaim(db, session, "WRONG1")
    same, new_token = participants.reclaim(db, session, me.rejoin_code.lower())
    assert same.id == me.id
    assert participants.by_token(db, session.id, old_token) is None
    assert participants.by_token(db, session.id, new_token).id == me.id


def test_navigation_records_time_per_unit(db, session, course):
    sessions.step(db, session, course, +1)
    assert session.current_activity == course.activities[0].id and session.status == "running"
    sessions.step(db, session, course, +1)
    sessions.step(db, session, course, -1)
    assert session.current_activity == course.activities[0].id
    sessions.go_to(db, session, course, course.units[3].activities[0].id)
    pace = sessions.pace(db, session, course)
    assert set(pace["units"]) == {"u1", "u2", "u3", "u4"}
    assert pace["units"]["u1"].planned_seconds == course.timetable.units["u1"].total * 60
    with pytest.raises(ServiceError):
        sessions.go_to(db, session, course, "no-such-activity")


def test_ended_session_cannot_be_driven(db, session, course):
    sessions.end(db, session)
    with pytest.raises(ServiceError, match="error.session_ended"):
        sessions.step(db, session, course, +1)


def test_auto_balance_deals_everyone_evenly(db, session):
    for n in range(10):
        participants.join(db, session, f"学员{n}")
    made = teams.auto_balance(db, session.id, 3, lambda n: f"第 {n} 组")
    sizes = sorted(len([p for p in participants.roster(db, session.id) if p.team_id == t.id]) for t in made)
    assert sizes == [3, 3, 4]
    teams.auto_balance(db, session.id, 2, lambda n: f"第 {n} 组")
    assert len(teams.teams(db, session.id)) == 2
    assert all(p.team_id for p in participants.roster(db, session.id))


def test_teams_rename_and_move_stay_inside_their_session(db, session, course, facilitator):
    team = teams.create(db, session.id, "  红 队 ")
    assert team.name == "红 队"
    me, _ = participants.join(db, session, "A")
    teams.move(db, session.id, me.id, team.id)
    teams.rename(db, session.id, team.id, "蓝队")
    other = sessions.open_session(db, course, facilitator.id)
    with pytest.raises(ServiceError):
        teams.move(db, other.id, me.id, None)
    with pytest.raises(ServiceError):
        teams.rename(db, session.id, team.id, "")


def test_a_break_does_not_count_against_the_unit(db, session, course):
    from datetime import timedelta

    from app.models import utcnow

    sessions.step(db, session, course, +1)
    sessions.set_paused(db, session, True)
    later = utcnow() + timedelta(minutes=20)
    assert sessions.pace(db, session, course, now=later)["units"]["u1"].elapsed_seconds < 60
    sessions.set_paused(db, session, False)
    assert sessions.pace(db, session, course, now=later)["units"]["u1"].elapsed_seconds >= 1190

"""The key-account exercise with two teams of two, and a trainee's and the facilitator's moves in it."""

from sqlmodel import select

from app.models import Participant
from tests.support.clients import join, post_action

KA = "u2-selection-exercise"


def two_teams(app, trainer, live, db):
    """Two teams of two in the exercise: (session id, code, {name: phone}, {name: participant})."""
    session_id, code = live
    phones = {name: join(app, code, name) for name in ("A1", "B1", "A2", "B2")}
    trainer.post(f"/control/{session_id}/teams/balance", data={"count": 2})  # A1, A2 | B1, B2
    trainer.post(f"/control/{session_id}/go", data={"activity": KA})
    people = {p.display_name: p for p in db.exec(select(Participant))}
    return session_id, code, phones, people


def act(phone, code, action, status=200, activity=KA, **data):
    return post_action(phone, code, action, activity, status, **data)


def phase(trainer, session_id, name):
    assert trainer.post(f"/control/{session_id}/phase", data={"phase": name}).status_code in (200, 204)

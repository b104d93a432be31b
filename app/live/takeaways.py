"""A trainee's results worth keeping (profiles...), from every kind that has a takeaway."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from app.course.models import Activity
from app.live import sessions
from app.live.snapshot import Snapshot
from app.models import Participant
from app.modules.contract import ViewContext


@dataclass(frozen=True)
class Takeaway:
    activity: Activity
    template: str
    ctx: ViewContext
    extra: dict[str, Any]


def collect(db: Session, snap: Snapshot, participant: Participant) -> list[Takeaway]:
    """In course order, each activity whose kind keeps a personal result for this trainee."""
    found = []
    for activity in snap.course.activities:
        kind = snap.course.kind_of(activity)
        if not kind.takeaway:
            continue
        state = sessions.activity_state(db, snap.session.id, activity.id)
        ctx = ViewContext(db, snap.session, snap.course, activity, state, participant.language, participant)
        found.append(Takeaway(activity, kind.template("takeaway"), ctx, kind.context(ctx)))
    return found

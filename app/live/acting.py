"""A trainee's action from any channel (a form post, their websocket): performed through the one
checked path (actions.perform), published, and answered with the trainee's own part of the view."""

from sqlmodel import Session

from app.live import actions, views
from app.live import snapshot as snapshots
from app.live.publisher import Publisher
from app.models import LiveSession, Participant


def act_as(
    publisher: Publisher,
    db: Session,
    session: LiveSession,
    me: Participant,
    attempt: actions.Attempt,
    delay: float,
) -> str:
    """Perform a trainee's action and render their own part; updates go out coalesced by `delay`."""
    course = publisher.courses[session.course_id]
    done = actions.perform(db, session, course, me, attempt)
    touched = done.touched
    snap = publisher.load(db, session.id, known=done.state)  # its state is read already
    shown = course.activity(attempt.activity_id)
    if shown is not None and (snap.activity is None or snap.activity.id != shown.id):  # off screen
        snap = snapshots.focused(snap, shown)
    # Counts go to the control page and screen, coalesced; the trainee's own view comes back
    # in this answer. Teammates who share the work get theirs in the same coalesced update
    # (a team's quick edits make one per member), and so does the trainee: a teammate's
    # update rendered just before this answer was saved may reach their phone after this
    # reply; a fresh one must come last.
    publisher.refresh(session.id, counts=True, people=touched | {me.id} if touched else (), delay=delay)
    publisher.follow_up(session.id, me.id, delay=delay)
    return views.render(publisher.templates, snap, "me", me.language, me, regions=views.OWN)

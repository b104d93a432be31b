"""`stamp`: the smallest activity kind there is, registered only by the test that proves a new
kind needs no change to the core: a button trainees press, a count on the screen. It has each
part a kind may bring — a content model, three views, an action, a route of its own, a script,
a fact for badges and rows in the exports."""

from typing import Any

from fastapi import APIRouter

from app.course.models import Activity, Strict, Text
from app.db import DbSession
from app.deps import SeatDep
from app.fields import NoPayload
from app.live import responses
from app.models import Response
from app.modules.contract import Action, ActionContext, ActivityKind, ViewContext


class StampConfig(Strict):
    prompt: Text


def presses(db, session_id: int, activity_id: str) -> dict[int, int]:
    """Each trainee's count of presses."""
    return {r.participant_id: r.value["n"] for r in responses.every(db, session_id, activity_id)}


def press(ctx: ActionContext, _payload: NoPayload) -> None:
    before = presses(ctx.db, ctx.session.id, ctx.activity.id).get(ctx.participant.id, 0)
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, {"n": before + 1})


router = APIRouter()


@router.get("/play/{code}/stamp/{activity_id}")
def my_presses(seat: SeatDep, db: DbSession, activity_id: str) -> dict[str, int]:
    """The trainee's own count: a route of the kind's own, for the trainee of the code only."""
    return {"presses": presses(db, seat.session.id, activity_id).get(seat.participant.id, 0)}


class StampKind(ActivityKind):
    name = "stamp"
    config_model = StampConfig
    phases = ("open", "closed")
    actions = {"press": Action(NoPayload, press)}
    router = router
    scripts = ("/static/kinds/stamp/stamp.js",)

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        room = ctx.once("stamp", lambda: presses(ctx.db, ctx.session.id, ctx.activity.id))
        return {"total": sum(room.values()), "people": len(room)}

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        return {"stamp.pressed": presses(ctx.db, ctx.session.id, ctx.activity.id).get(ctx.participant.id, 0)}

    def answer_rows(self, room: Any, activity: Activity, given: list[Response]) -> list[list]:
        question = activity.config.prompt.get(room.words.lang)
        return [
            [
                room.words.activity(activity.id),
                "stamp",
                question,
                room.name(r.participant_id),
                "",
                r.value["n"],
                "",
            ]
            for r in given
        ]

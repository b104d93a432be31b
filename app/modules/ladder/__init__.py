"""`ladder` (采纳阶梯): each round a doctor's statement or behaviour; the team places the doctor on
the course's adoption ladder and picks the rep action most likely to move them one rung up. Any
member may change the team's answer (the last change counts) and every member sees it at once."""

from typing import Any

from pydantic import BaseModel

from app.course.models import Course
from app.errors import ServiceError
from app.fields import Id
from app.games import room
from app.games.engine import Game, Input, Turn
from app.modules.clock import Clock
from app.modules.contract import ViewContext
from app.modules.ladder.config import Case, LadderConfig

STAGE_POINTS = 10  # the right rung; the action's points come from the content


class Place(BaseModel):
    stage: Id


class Pick(BaseModel):
    action: Id


def _case(turn: Turn) -> Case:
    return turn.ctx.activity.config.cases[turn.round]


def _save(turn: Turn, field: str, value: str) -> None:
    turn.save(f"r{turn.round}:{field}", {field: value})


def place(turn: Turn, payload: Place) -> None:
    if payload.stage not in {s.id for s in turn.ctx.course.territory.ladder}:
        raise ServiceError("activity.error.invalid")
    _save(turn, "stage", payload.stage)


def pick(turn: Turn, payload: Pick) -> None:
    if payload.action not in {a.id for a in _case(turn).actions}:
        raise ServiceError("activity.error.invalid")
    _save(turn, "action", payload.action)


def answer_of(answers: dict[str, dict], index: int) -> dict[str, Any]:
    """A team's answer to round `index`: the stage, the action, and who set each last."""
    stage = answers.get(f"r{index}:stage", {})
    action = answers.get(f"r{index}:action", {})
    return {
        "stage": stage.get("stage"),
        "action": action.get("action"),
        "stage_by": stage.get("by"),
        "action_by": action.get("by"),
    }


def points_for(case: Case, answer: dict[str, Any]) -> int:
    stage = STAGE_POINTS if answer["stage"] == case.stage else 0
    return stage + next((a.points for a in case.actions if a.id == answer["action"]), 0)


class LadderKind(Game):
    name = "ladder"
    needs = ("territory",)
    config_model = LadderConfig
    inputs = {"place": Input(Place, place), "pick": Input(Pick, pick)}

    def problems(self, course: Course, config: LadderConfig) -> list[str]:
        stages = [s.id for s in course.territory.ladder]
        problems = [
            f"case {c.id}: unknown stage {c.stage!r} (the ladder has {', '.join(stages)})"
            for c in config.cases
            if c.stage not in stages
        ]
        if len(config.cases) >= len(stages) and (missing := set(stages) - {c.stage for c in config.cases}):
            problems.append(f"cases: no case for the stages {', '.join(sorted(missing))}")
        return problems

    def rounds(self, config: LadderConfig) -> int:
        return config.rounds or len(config.cases)

    def round_points(self, ctx: ViewContext, index: int) -> dict[int, int]:
        case = ctx.activity.config.cases[index]
        return {
            team: points_for(case, answer_of(answers, index)) for team, answers in room.answers(ctx).items()
        }

    def play_context(self, ctx: ViewContext, clock: Clock, team: int) -> dict[str, Any]:
        case = _current(ctx, clock)
        answer = answer_of(room.team_answers(ctx, team), clock.index)
        return {
            "case": case,
            "ladder": ctx.course.territory.ladder,
            "answer": answer,
            "points": points_for(case, answer),
        }

    def room_context(self, ctx: ViewContext, clock: Clock) -> dict[str, Any]:
        case = _current(ctx, clock)
        answers = {team: answer_of(a, clock.index) for team, a in room.answers(ctx).items()}
        stages: dict[str, int] = {}
        picks: dict[str, int] = {}
        for answer in answers.values():
            if answer["stage"]:
                stages[answer["stage"]] = stages.get(answer["stage"], 0) + 1
            if answer["action"]:
                picks[answer["action"]] = picks.get(answer["action"], 0) + 1
        return {
            "case": case,
            "ladder": ctx.course.territory.ladder,
            "answers": answers,
            "stages": stages,
            "picks": picks,
            "done": sum(1 for a in answers.values() if a["stage"] and a["action"]),
        }


def _current(ctx: ViewContext, clock: Clock) -> Case:
    cases = ctx.activity.config.cases
    return cases[min(clock.index, len(cases) - 1)]

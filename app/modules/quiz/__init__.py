"""`quiz`: timed, scored questions with explanations; points go to the ledger on each reveal."""

from typing import Any

from pydantic import BaseModel

from app.i18n import translate
from app.live import responses, sessions
from app.live.errors import ServiceError
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, ViewContext
from app.modules.poll import Choices, OptionId
from app.modules.quiz import flow
from app.modules.quiz.config import TRUE_FALSE, QuizConfig
from app.modules.quiz.flow import QuizState
from app.points import ledger


class Answer(BaseModel):
    question: OptionId
    choice: Choices


class Reorder(BaseModel):
    question: OptionId


class Nothing(BaseModel):
    pass


def state_of(ctx) -> QuizState:
    return QuizState.of(ctx.state.data if ctx.state else None)


def answer(ctx: ActionContext, payload: Answer) -> None:
    config: QuizConfig = ctx.activity.config
    state = state_of(ctx)
    question = state.question(config)
    if state.effective_stage() != "open" or payload.question != question.id:
        raise ServiceError("activity.error.closed", status=409)
    allowed = TRUE_FALSE if question.type == "truefalse" else [o.id for o in question.options]
    choice = list(dict.fromkeys(payload.choice))
    if not set(choice) <= set(allowed) or (question.type in ("single", "truefalse") and len(choice) > 1):
        raise ServiceError("activity.error.invalid")
    if question.type == "order":  # tapped one more item: add it to the order so far
        so_far = _mine(ctx, question.id).get("choice", [])
        choice = [*so_far, *[c for c in choice if c not in so_far]]
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"choice": choice, "after": round(state.elapsed(), 2)},
        item=question.id,
    )


def restart_order(ctx: ActionContext, payload: Reorder) -> None:
    state = state_of(ctx)
    if state.effective_stage() != "open" or payload.question != state.question(ctx.activity.config).id:
        raise ServiceError("activity.error.closed", status=409)
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"choice": [], "after": round(state.elapsed(), 2)},
        item=payload.question,
    )


def _mine(ctx, item: str) -> dict:
    return responses.mine(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id).get(item, {})


def _step(change):
    """A facilitator action that moves the quiz's state; returns when views must refresh again."""

    def handle(ctx: ViewContext, _payload: Nothing) -> float | None:
        config: QuizConfig = ctx.activity.config
        before = state_of(ctx)
        after = change(before, config, ctx)
        sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, after.as_data())
        return after.remaining() + 0.2 if after.effective_stage() == "open" else None

    return handle


def _start(state: QuizState, config: QuizConfig, _ctx) -> QuizState:
    if state.stage != "ready":
        raise ServiceError("quiz.error.not_ready", status=409)
    return flow.start(state, config)


def _extend(state: QuizState, _config, _ctx) -> QuizState:
    if state.effective_stage() != "open":
        raise ServiceError("activity.error.closed", status=409)
    return flow.extend(state)


def _close(state: QuizState, _config, _ctx) -> QuizState:
    return flow.close(state) if state.effective_stage() == "open" else state


def _reveal(state: QuizState, config: QuizConfig, ctx) -> QuizState:
    if state.effective_stage() not in ("closed", "open"):
        return state
    closed = flow.close(state) if state.stage == "open" else state
    award_question(ctx, closed, config)
    return flow.reveal(closed)


def _next(state: QuizState, config: QuizConfig, _ctx) -> QuizState:
    if state.stage not in ("revealed", "ready") and state.effective_stage() != "closed":
        raise ServiceError("quiz.error.reveal_first", status=409)
    return flow.advance(state, config)


def award_question(ctx: ViewContext, state: QuizState, config: QuizConfig) -> None:
    """Points for every right answer to the current question; the ledger keeps them once."""
    question = state.question(config)
    for response in responses.every(ctx.db, ctx.session.id, ctx.activity.id, item=question.id):
        if question.is_correct(response.value.get("choice", [])):
            ledger.award(
                ctx.db,
                ctx.session.id,
                activity_id=ctx.activity.id,
                reason="quiz.correct",
                participant_id=response.participant_id,
                points=flow.points_for(question, config, response.value.get("after", 0.0), state.seconds),
                key=f"quiz:{ctx.activity.id}:{question.id}:{response.participant_id}",
            )


def tally(ctx: ViewContext, state: QuizState, config: QuizConfig) -> dict[str, Any]:
    question = state.question(config)
    answers = responses.every(ctx.db, ctx.session.id, ctx.activity.id, item=question.id)
    counts: dict[str, int] = {}
    for response in answers:
        for choice in response.value.get("choice", []):
            counts[choice] = counts.get(choice, 0) + 1
    right = sum(1 for r in answers if question.is_correct(r.value.get("choice", [])))
    return {"answered": len(answers), "right": right, "counts": counts}


class QuizKind(ActivityKind):
    name = "quiz"
    config_model = QuizConfig
    personal = True
    shared_until_answered = True
    actions = {
        "answer": Action(Answer, answer, phases=()),
        "reorder": Action(Reorder, restart_order, phases=()),
    }
    facilitator_actions = {
        name: FacilitatorAction(Nothing, _step(change), awards=name == "reveal")
        for name, change in (
            ("start", _start),
            ("extend", _extend),
            ("close", _close),
            ("reveal", _reveal),
            ("next", _next),
        )
    }

    def wakeup(self, ctx: ViewContext) -> float | None:
        state = state_of(ctx)
        return state.remaining() + 0.2 if state.effective_stage() == "open" else None

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: QuizConfig = ctx.activity.config
        state = state_of(ctx)
        question = state.question(config)
        mine = _mine(ctx, question.id) if ctx.participant else {}
        stage = state.effective_stage()
        # A phone needs the room's figures only once answers are revealed: answering stays cheap.
        room = ctx.participant is None or stage in ("revealed", "finished")
        figures = (
            _room_figures(ctx, state, config)
            if room
            else {"board": [], "answered": 0, "right": 0, "counts": {}}
        )
        return {
            "state": state,
            "stage": stage,
            "remaining": round(state.remaining(), 1),
            "question": question,
            "number": min(state.index, len(config.questions) - 1) + 1,
            "mine": mine.get("choice", []),
            "mine_right": question.is_correct(mine.get("choice", [])) if mine else False,
            "earned": _earned(ctx) if ctx.participant else 0,
            "options": (options := _options(question, ctx.lang)),
            "option_text": dict(options),
            **figures,
        }

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        """Questions revealed so far, and how many of those this trainee answered, and rightly."""
        config: QuizConfig = ctx.activity.config
        state = QuizState.of(ctx.state.data if ctx.state else None)
        done = (
            len(config.questions)
            if state.stage == "finished"
            else state.index + (1 if state.stage == "revealed" else 0)
        )
        revealed = {question.id: question for question in config.questions[:done]}
        mine = responses.mine(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id)
        answered = [(revealed[item], value) for item, value in mine.items() if item in revealed]
        right = sum(1 for question, value in answered if question.is_correct(value.get("choice", [])))
        return {"quiz.asked": done, "quiz.answered": len(answered), "quiz.right": right}

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        config: QuizConfig = ctx.activity.config
        return {
            "teams": ledger.team_board(
                ctx.db, ctx.session.id, activities={ctx.activity.id}, mode=config.team_score
            )
        }


def _room_figures(ctx: ViewContext, state: QuizState, config: QuizConfig) -> dict[str, Any]:
    """The team board and the answer counts, computed once per snapshot for every view of it."""
    key = ("quiz", ctx.activity.id, state.index, state.stage)
    if key not in ctx.shared:
        board = ledger.team_board(
            ctx.db, ctx.session.id, activities={ctx.activity.id}, mode=config.team_score
        )
        ctx.shared[key] = {"board": board, **tally(ctx, state, config)}
    return ctx.shared[key]


def _earned(ctx: ViewContext) -> int:
    return sum(
        entry.points
        for entry in ledger.history(ctx.db, ctx.session.id, ctx.participant.id)
        if entry.activity_id == ctx.activity.id
    )


def _options(question, lang: str) -> list[tuple[str, str]]:
    """(id, text) pairs to show; true/false questions get theirs from the catalogue."""
    if question.type == "truefalse":
        return [(value, translate(lang, f"quiz.{value}")) for value in TRUE_FALSE]
    return [(option.id, option.text.get(lang)) for option in question.options]

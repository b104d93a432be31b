"""`quiz`: timed, scored questions with explanations; points go to the ledger on each reveal."""

import random
from typing import Any

from pydantic import BaseModel

from app.course.models import Activity
from app.errors import ServiceError
from app.fields import Id, NoPayload, one_or_many
from app.i18n import translate
from app.live import responses, sessions
from app.modules import clock as clocks
from app.modules.clock import Clock
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, Timing, ViewContext
from app.modules.quiz import exports, flow
from app.modules.quiz.config import TRUE_FALSE, QuizConfig
from app.points import ledger

Choices = one_or_many(12, min_length=1)


class Answer(BaseModel):
    question: Id
    choice: Choices


class Reorder(BaseModel):
    question: Id


def state_of(ctx) -> Clock:
    return Clock.of(ctx.state.data if ctx.state else None)


def answer(ctx: ActionContext, payload: Answer) -> None:
    config: QuizConfig = ctx.activity.config
    state = state_of(ctx)
    question = flow.question(state, config)
    if state.effective_stage(ctx.arrived) != "open" or payload.question != question.id:
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
        {"choice": choice, "after": round(state.elapsed(ctx.arrived), 2)},
        item=question.id,
    )


def restart_order(ctx: ActionContext, payload: Reorder) -> None:
    state = state_of(ctx)
    if (
        state.effective_stage(ctx.arrived) != "open"
        or payload.question != flow.question(state, ctx.activity.config).id
    ):
        raise ServiceError("activity.error.closed", status=409)
    responses.save(
        ctx.db,
        ctx.session.id,
        ctx.activity.id,
        ctx.participant.id,
        {"choice": [], "after": round(state.elapsed(ctx.arrived), 2)},
        item=payload.question,
    )


def _mine(ctx, item: str) -> dict:
    return responses.mine_here(ctx).get(item, {})


def _step(change):
    """A facilitator action that moves the quiz's state; returns when views must refresh again."""

    def handle(ctx: ViewContext, _payload: NoPayload) -> float | None:
        config: QuizConfig = ctx.activity.config
        before = state_of(ctx)
        after = change(before, config, ctx)
        sessions.save_activity_data(ctx.db, ctx.session, ctx.course, ctx.activity.id, after.as_data())
        return after.due()

    return handle


def _start(state: Clock, config: QuizConfig, _ctx) -> Clock:
    if state.stage != "ready":
        raise ServiceError("quiz.error.not_ready", status=409)
    return flow.start(state, config)


def _extend(state: Clock, _config, _ctx) -> Clock:
    if state.effective_stage() != "open":
        raise ServiceError("activity.error.closed", status=409)
    return flow.extend(state)


def _close(state: Clock, _config, _ctx) -> Clock:
    return clocks.close(state) if state.effective_stage() == "open" else state


def _reveal(state: Clock, config: QuizConfig, ctx) -> Clock:
    if state.effective_stage() not in ("closed", "open"):
        return state
    closed = clocks.close(state) if state.stage == "open" else state
    award_question(ctx, closed, config)
    return clocks.reveal(closed)


def _next(state: Clock, config: QuizConfig, _ctx) -> Clock:
    if state.stage not in ("revealed", "ready") and state.effective_stage() != "closed":
        raise ServiceError("quiz.error.reveal_first", status=409)
    return flow.advance(state, config)


def award_question(ctx: ViewContext, state: Clock, config: QuizConfig) -> None:
    """Points for every right answer to the current question, in one go; the ledger keeps them once."""
    question = flow.question(state, config)
    ledger.award_all(
        ctx.db,
        ctx.session.id,
        [
            ledger.Award(
                activity_id=ctx.activity.id,
                reason="quiz.correct",
                points=flow.points_for(question, config, response.value.get("after", 0.0), state.seconds),
                key=f"quiz:{ctx.activity.id}:{question.id}:{response.participant_id}",
                participant_id=response.participant_id,
            )
            for response in responses.every(ctx.db, ctx.session.id, ctx.activity.id, item=question.id)
            if question.is_correct(response.value.get("choice", []))
        ],
    )


def tally(ctx: ViewContext, state: Clock, config: QuizConfig) -> dict[str, Any]:
    question = flow.question(state, config)
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
    own = True
    actions = {
        "answer": Action(Answer, answer, phases=()),
        "reorder": Action(Reorder, restart_order, phases=()),
    }
    facilitator_actions = {
        name: FacilitatorAction(NoPayload, _step(change), awards=name == "reveal")
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
        return state.due()

    def own_timing(self, config: QuizConfig) -> Timing:
        limits = [q.seconds or config.seconds for q in config.questions]
        each = f"{min(limits)}–{max(limits)} s" if min(limits) != max(limits) else f"{limits[0]} s"
        return Timing(sum(limits), f"{len(limits)} questions × {each}")

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Until the reveal a trainee's part shows only their choice; after it, their points."""
        state = state_of(ctx)
        stage = state.effective_stage()
        if stage in ("revealed", "finished"):
            return None
        question = flow.question(state, ctx.activity.config)
        return (stage, question.id, tuple(_mine(ctx, question.id).get("choice", [])))

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        config: QuizConfig = ctx.activity.config
        state = state_of(ctx)
        question = flow.question(state, config)
        mine = _mine(ctx, question.id) if ctx.participant else {}
        stage = state.effective_stage()
        # A phone needs the room's figures only once answers are revealed: answering stays cheap.
        room = ctx.participant is None or stage in ("revealed", "finished")
        figures = (
            _room_figures(ctx, state, config)
            if room
            else {"board": [], "moves": {}, "answered": 0, "right": 0, "counts": {}}
        )
        return {
            "state": state,
            "stage": stage,
            "remaining": round(state.remaining(), 1),
            "question": question,
            "number": min(state.index, len(config.questions) - 1) + 1,
            "mine": mine.get("choice", []),
            "mine_right": question.is_correct(mine.get("choice", [])) if mine else False,
            "earned": _earned(ctx) if ctx.participant and stage in ("revealed", "finished") else 0,
            **(_verdict(ctx, state, config) if ctx.participant and stage == "revealed" else {}),
            "options": (options := _options(question, ctx.lang)),
            "option_text": dict(options),
            **figures,
        }

    def facts(self, ctx: ViewContext) -> dict[str, float]:
        """Questions revealed so far, and how many of those this trainee answered, and rightly."""
        config: QuizConfig = ctx.activity.config
        state = Clock.of(ctx.state.data if ctx.state else None)
        done = (
            len(config.questions)
            if state.stage == "finished"
            else state.index + (1 if state.stage == "revealed" else 0)
        )
        revealed = {question.id: question for question in config.questions[:done]}
        mine = responses.mine_here(ctx)
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

    def answer_rows(self, room: Any, activity: Activity, given: list) -> list[list]:
        return exports.answer_rows(room, activity, given)


def _room_figures(ctx: ViewContext, state: Clock, config: QuizConfig) -> dict[str, Any]:
    """The team board and the answer counts, computed once per snapshot for every view of it."""

    def compute() -> dict[str, Any]:
        board = ledger.team_board(
            ctx.db, ctx.session.id, activities={ctx.activity.id}, mode=config.team_score
        )
        moves = _moves(ctx, state, config, board) if state.stage == "revealed" else {}
        return {"board": board, "moves": moves, **tally(ctx, state, config)}

    return ctx.once(("quiz", ctx.activity.id, state.index, state.stage), compute)


def _moves(ctx: ViewContext, state: Clock, config: QuizConfig, board: list) -> dict[int, dict[str, int]]:
    """How each team moved on the board with the revealed question's points: places up the
    list (the board slides from where it stood) and ranks gained (negative: lost)."""
    question = flow.question(state, config)
    before = ledger.team_board(
        ctx.db,
        ctx.session.id,
        activities={ctx.activity.id},
        mode=config.team_score,
        leaving_out=f"quiz:{ctx.activity.id}:{question.id}:",
    )
    was = {team.team_id: (place, team.rank) for place, team in enumerate(before)}
    return {
        team.team_id: {"places": was[team.team_id][0] - place, "ranks": was[team.team_id][1] - team.rank}
        for place, team in enumerate(board)
        if team.team_id in was
    }


def _verdict(ctx: ViewContext, state: Clock, config: QuizConfig) -> dict[str, int]:
    """What a trainee's right answer to the revealed question earned, and how many questions in
    a row up to it they got right; read from their answers, as the reveal awarded them."""
    answers = responses.mine_here(ctx)
    question = flow.question(state, config)
    mine = answers.get(question.id, {})
    if not question.is_correct(mine.get("choice", [])):
        return {"gained": 0, "streak": 0}
    streak = 0
    for asked in reversed(config.questions[: state.index + 1]):
        if not asked.is_correct(answers.get(asked.id, {}).get("choice", [])):
            break
        streak += 1
    return {
        "gained": flow.points_for(question, config, mine.get("after", 0.0), state.seconds),
        "streak": streak,
    }


def _earned(ctx: ViewContext) -> int:
    """The trainee's points from this quiz so far."""
    assert ctx.participant is not None

    def points(standings: dict) -> dict[int, int]:
        return {pid: rank.points for pid, rank in standings.items()}

    quiz = {ctx.activity.id}
    return ctx.mine(
        "quiz-earned",
        lambda: points(ledger.standings(ctx.db, ctx.session.id, activities=quiz)),
        lambda: ledger.points_of(ctx.db, ctx.session.id, ctx.participant.id, activities=quiz),
        0,
    )


def _options(question, lang: str) -> list[tuple[str, str]]:
    """(id, text) pairs to show; true/false questions get theirs from the catalogue, and an
    order question's items are shown scrambled (content lists them in the right order)."""
    if question.type == "truefalse":
        return [(value, translate(lang, f"quiz.{value}")) for value in TRUE_FALSE]
    options = [(option.id, option.text.get(lang)) for option in question.options]
    return scrambled(options, question.id) if question.type == "order" else options


def scrambled(items: list, seed: str) -> list:
    """The same shuffle for every phone and the projector (its letters must agree), and never
    the order given, which is the answer."""
    shuffled = list(items)
    random.Random(seed).shuffle(shuffled)
    if len(items) > 1 and shuffled == items:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled

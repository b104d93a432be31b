"""`keyaccount`: the key-account selection exercise on the course's sample territory, in teams.

Five phases the facilitator opens in turn: weigh the four criteria (each member proposes, the
captain adopts one), score every card 1–5 per criterion, place every card on the potential ×
adoption grid, choose the top N with a reason each, and the debrief against the expert answer
(rules.py). Team work is shared through the core's team answers: a teammate's change shows on
every member's phone at once.
"""

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from app.course.models import Strict, Text
from app.course.territory import CRITERIA, Card, Territory
from app.customers import selection
from app.errors import ServiceError
from app.fields import NoPayload, RowId, ShortText
from app.games import room
from app.live import responses, teamwork
from app.modules.contract import Action, ActionContext, ActivityKind, FacilitatorAction, ViewContext
from app.modules.keyaccount import rules
from app.modules.keyaccount.work import TeamWork
from app.points import ledger

PHASES = ("weigh", "score", "place", "choose", "debrief")
EQUAL_WEIGHTS = selection.EQUAL_WEIGHTS  # until the team's captain adopts a proposal
POINTS_PER_AGREEMENT = 10  # per chosen account the expert also recommends
POINTS_PER_REASON = 2  # per chosen account with a real reason


class KeyAccountConfig(Strict):
    intro: Text  # what the team does, shown above every phase
    # Who scores the cards: the team together, or each trainee alone (the team's ranking is
    # then the mean of its members' weighted scores).
    scoring: Literal["team", "individual"] = "team"


class Adopt(BaseModel):
    proposer: RowId


class CardScore(BaseModel):
    card: ShortText
    criterion: ShortText
    score: int = Field(ge=1, le=5)


class Placement(BaseModel):
    card: ShortText
    segment: ShortText  # "potential-adoption", e.g. "high-low"


class Pick(BaseModel):
    card: ShortText
    chosen: bool = True
    reason: Annotated[str, StringConstraints(max_length=200)] = ""


class Show(BaseModel):
    card: ShortText


def _team(ctx: ActionContext) -> int:
    if ctx.participant.team_id is None:
        raise ServiceError("keyaccount.error.no_team", status=409)
    return ctx.participant.team_id


def _save(ctx: ActionContext, item: str, value: dict) -> list[int]:
    team = _team(ctx)
    teamwork.save(ctx.db, ctx.session.id, ctx.activity.id, team, item, value, ctx.participant.id)
    return teamwork.members(ctx.db, ctx.session.id, team)


def propose(ctx: ActionContext, payload: selection.Weights) -> list[int]:
    weights = payload.model_dump()
    if problem := selection.weights_problem(weights):
        raise ServiceError(problem)
    team = _team(ctx)
    responses.save(ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, weights, item="proposal")
    return teamwork.members(ctx.db, ctx.session.id, team)


def adopt(ctx: ActionContext, payload: Adopt) -> list[int]:
    """The captain adopts one member's proposal as the team's weights."""
    team = _team(ctx)
    if teamwork.captain(ctx.db, ctx.session.id, team) != ctx.participant.id:
        raise ServiceError("keyaccount.error.captain", status=403)
    if payload.proposer not in teamwork.members(ctx.db, ctx.session.id, team):
        raise ServiceError("activity.error.invalid")
    proposal = responses.mine(ctx.db, ctx.session.id, ctx.activity.id, payload.proposer).get("proposal")
    if not proposal or selection.weights_problem(proposal):
        raise ServiceError("activity.error.invalid")
    return _save(ctx, "weights", proposal)


def score(ctx: ActionContext, payload: CardScore) -> list[int]:
    if selection.territory_of(ctx.course).card(payload.card) is None or payload.criterion not in CRITERIA:
        raise ServiceError("activity.error.invalid")
    item = f"score:{payload.card}:{payload.criterion}"
    if ctx.activity.config.scoring == "individual":
        item += f":{ctx.participant.id}"
    return _save(ctx, item, {"score": payload.score})


def place(ctx: ActionContext, payload: Placement) -> list[int]:
    territory = selection.territory_of(ctx.course)
    if territory.card(payload.card) is None or payload.segment not in {s.id for s in territory.segments}:
        raise ServiceError("activity.error.invalid")
    return _save(ctx, f"place:{payload.card}", {"segment": payload.segment})


def pick(ctx: ActionContext, payload: Pick) -> list[int]:
    territory = selection.territory_of(ctx.course)
    if territory.card(payload.card) is None:
        raise ServiceError("activity.error.invalid")
    reason = payload.reason.strip()
    if payload.chosen:
        if not reason:
            raise ServiceError("keyaccount.error.reason")
        answers = teamwork.of_team(ctx.db, ctx.session.id, ctx.activity.id, _team(ctx))
        chosen = TeamWork.of(territory, answers, EQUAL_WEIGHTS).choice
        if payload.card not in chosen and len(chosen) >= territory.top_n:
            raise ServiceError("keyaccount.error.too_many", n=territory.top_n)
    return _save(ctx, f"choice:{payload.card}", {"chosen": payload.chosen, "reason": reason})


def show(ctx: ActionContext, payload: Show) -> None:
    """Which card this trainee looks at (kept, so a reload comes back to it)."""
    if selection.territory_of(ctx.course).card(payload.card) is None:
        raise ServiceError("activity.error.invalid")
    responses.save(
        ctx.db, ctx.session.id, ctx.activity.id, ctx.participant.id, {"card": payload.card}, item="at"
    )


def award(ctx: ViewContext, payload: NoPayload) -> None:
    """Points for every member of each team: agreement with the expert and complete reasons.
    Each member's award has its own key, so awarding again changes nothing."""
    territory = selection.territory_of(ctx.course)
    for team, answers in teamwork.every(ctx.db, ctx.session.id, ctx.activity.id).items():
        work = TeamWork.of(territory, answers, EQUAL_WEIGHTS)
        points = POINTS_PER_AGREEMENT * rules.agreement(
            work.choice, territory.expert.top
        ) + POINTS_PER_REASON * rules.complete_reasons(work.choice)
        for member in teamwork.members(ctx.db, ctx.session.id, team) if points else ():
            ledger.award(
                ctx.db,
                ctx.session.id,
                activity_id=ctx.activity.id,
                reason="keyaccount.selection",
                points=points,
                key=f"{ctx.activity.id}:{team}:{member}",
                participant_id=member,
            )


class KeyAccountKind(ActivityKind):
    name = "keyaccount"
    needs = ("territory",)
    config_model = KeyAccountConfig
    phases = PHASES
    own = True  # each team's work, below the step on the room's stage
    actions = {
        "propose": Action(selection.Weights, propose, phases=("weigh",)),
        "adopt": Action(Adopt, adopt, phases=("weigh",)),
        "score": Action(CardScore, score, phases=("score",)),
        "place": Action(Placement, place, phases=("place",)),
        "pick": Action(Pick, pick, phases=("choose",)),
        "show": Action(Show, show, phases=("score", "place")),
    }
    facilitator_actions = {"award": FacilitatorAction(NoPayload, award, awards=True)}

    def context(self, ctx: ViewContext) -> dict[str, Any]:
        territory = selection.territory_of(ctx.course)
        if ctx.participant is None:
            return _room_context(ctx, territory)
        team = ctx.participant.team_id
        if team is None:
            return {"territory": territory, "no_team": True}
        work = _work(ctx, territory, team, _viewer(ctx))
        mine = responses.mine_here(ctx)
        card = _card(territory, mine)
        return {
            "territory": territory,
            "no_team": False,
            "work": work,
            **(_weighing(ctx, team, mine) if _phase(ctx) == "weigh" else {}),
            "captain": room.captain(ctx, team),
            "card": card,
            "card_index": territory.customers.index(card),
            "agreement": rules.agreement(work.choice, territory.expert.top),
            "load": rules.call_load(territory, work.placements),
        }

    def own_key(self, ctx: ViewContext) -> tuple | None:
        """Teammates see their team's work alike, so they share one render, apart from what is
        theirs: the weights they propose (and the captain's adopt buttons), the card they look
        at and, when trainees score alone, their scores of it."""
        assert ctx.participant is not None
        team = ctx.participant.team_id
        if team is None:
            return ("no team",)
        phase, mine = _phase(ctx), responses.mine_here(ctx)
        if phase == "weigh":
            captain = room.captain(ctx, team) == ctx.participant.id
            return ("team", team, captain, tuple(sorted(_my_proposal(mine).items())))
        if phase not in ("score", "place"):
            return ("team", team)
        territory = selection.territory_of(ctx.course)
        card = _card(territory, mine).id
        if phase == "place":
            return ("team", team, card)
        scores = _work(ctx, territory, team, _viewer(ctx)).scores.get(card, {})
        return ("team", team, card, tuple(sorted(scores.items())))

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return _room_context(ctx, selection.territory_of(ctx.course))


def _phase(ctx: ViewContext) -> str:
    return ctx.phase or PHASES[0]


def _viewer(ctx: ViewContext) -> int | None:
    """Whose own scores a trainee's part shows: theirs when trainees score alone, else the team's."""
    assert ctx.participant is not None
    return ctx.participant.id if ctx.activity.config.scoring == "individual" else None


def _work(ctx: ViewContext, territory: Territory, team: int, viewer: int | None = None) -> TeamWork:
    """A team's work, worked out once per broadcast for every view that shows it."""
    return ctx.once(
        ("keyaccount.work", team, viewer),
        lambda: TeamWork.of(territory, room.team_answers(ctx, team), EQUAL_WEIGHTS, viewer=viewer),
    )


def _card(territory: Territory, mine: dict[str, dict]) -> Card:
    """The card this trainee looks at (the first until they move on)."""
    return territory.card((mine.get("at") or {}).get("card")) or territory.customers[0]


def _my_proposal(mine: dict[str, dict]) -> dict[str, int]:
    return mine.get("proposal") or EQUAL_WEIGHTS


def _weighing(ctx: ViewContext, team: int, mine: dict[str, dict]) -> dict[str, Any]:
    """What the weigh step shows besides the team's work: the members' proposals and one's own."""
    members = {p.id: p for p in room.members(ctx, team)}
    proposals = {pid: value for pid, value in _proposals(ctx).items() if pid in members}
    return {"members": members, "proposals": proposals, "my_proposal": _my_proposal(mine)}


def _proposals(ctx: ViewContext) -> dict[int, dict]:
    """Everyone's weight proposals, read once per broadcast however many phones show them."""
    return ctx.once(
        "keyaccount.proposals",
        lambda: {
            r.participant_id: r.value
            for r in responses.every(ctx.db, ctx.session.id, ctx.activity.id, item="proposal")
        },
    )


def _room_context(ctx: ViewContext, territory: Territory) -> dict[str, Any]:
    """Each team's progress, and the debrief against the expert answer (teams anonymous)."""
    names = room.team_names(ctx)
    works = {team: _work(ctx, territory, team) for team in room.answers(ctx) if team in names}
    rows = [
        {
            "name": names[team],
            "work": work,
            "agreement": rules.agreement(work.choice, territory.expert.top),
            "load": rules.call_load(territory, work.placements),
        }
        for team, work in sorted(works.items(), key=lambda kv: list(names).index(kv[0]))
    ]
    return {
        "territory": territory,
        "teams": rows,
        "debrief": rules.debrief(territory, {t: w.choice for t, w in works.items()}, ctx.lang),
    }

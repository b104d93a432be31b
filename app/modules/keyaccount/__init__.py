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
from app.course.territory import CRITERIA, Territory
from app.customers import selection
from app.errors import ServiceError
from app.fields import NoPayload, ShortText
from app.live import participants, responses, teams, teamwork
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
    proposer: int


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
    personal = True  # each team sees its own work
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
        work = TeamWork.of(
            territory,
            teamwork.of_team(ctx.db, ctx.session.id, ctx.activity.id, team),
            EQUAL_WEIGHTS,
            viewer=ctx.participant.id,
        )
        ids = set(teamwork.members(ctx.db, ctx.session.id, team))
        people = sorted(participants.some(ctx.db, ctx.session.id, ids), key=lambda p: p.id)
        members = {p.id: p for p in people}
        proposals = {pid: value for pid, value in _proposals(ctx).items() if pid in members}
        mine = responses.mine_here(ctx)
        at = (mine.get("at") or {}).get("card")
        card = territory.card(at) or territory.customers[0]
        return {
            "territory": territory,
            "no_team": False,
            "work": work,
            "members": members,
            "proposals": proposals,
            "my_proposal": mine.get("proposal") or EQUAL_WEIGHTS,
            "captain": teamwork.captain(ctx.db, ctx.session.id, team),
            "card": card,
            "card_index": territory.customers.index(card),
            "agreement": rules.agreement(work.choice, territory.expert.top),
            "load": rules.call_load(territory, work.placements),
        }

    def results(self, ctx: ViewContext) -> dict[str, Any]:
        return _room_context(ctx, selection.territory_of(ctx.course))


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
    every = teamwork.every(ctx.db, ctx.session.id, ctx.activity.id)
    names = {t.id: t.name for t in teams.teams(ctx.db, ctx.session.id)}
    works = {
        team: TeamWork.of(territory, answers, EQUAL_WEIGHTS)
        for team, answers in every.items()
        if team in names
    }
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

"""What a team activity's views read about the room, once per broadcast: each phone's own part
takes its team's entry from one read instead of asking the database for itself."""

from app.live import participants, teams, teamwork
from app.models import Participant
from app.modules.contract import ViewContext


def team_names(ctx: ViewContext) -> dict[int, str]:
    """Each team's name in the view's language (read once for every language of the broadcast)."""
    stored = ctx.once("teams.names", lambda: {t.id: t.name for t in teams.teams(ctx.db, ctx.session.id)})
    return {team: teams.shown_name(name, ctx.lang) for team, name in stored.items()}


def rosters(ctx: ViewContext) -> dict[int, list[int]]:
    """Every team's members, earliest first (the first is the captain)."""
    return ctx.once("teams.members", lambda: teamwork.rosters(ctx.db, ctx.session.id))


def captain(ctx: ViewContext, team: int) -> int | None:
    return (rosters(ctx).get(team) or [None])[0]


def answers(ctx: ViewContext) -> dict[int, dict[str, dict]]:
    """Every team's answers to the activity: team id → item → value."""
    return ctx.once(
        ("teams.answers", ctx.activity.id), lambda: teamwork.every(ctx.db, ctx.session.id, ctx.activity.id)
    )


def team_answers(ctx: ViewContext, team: int) -> dict[str, dict]:
    """One team's answers: taken from the room's when this broadcast reads those anyway (the
    screen's view does) or renders several phones; read alone for one phone (its reply)."""
    if ctx.together or ctx.known(("teams.answers", ctx.activity.id)) is not None:
        return answers(ctx).get(team, {})
    return ctx.once(
        ("teams.answers", ctx.activity.id, team),
        lambda: teamwork.of_team(ctx.db, ctx.session.id, ctx.activity.id, team),
    )


def members(ctx: ViewContext, team: int) -> list[Participant]:
    """A team's members, earliest first: from the room's roster, read once, when several phones
    are rendered; only the team's for one phone."""
    ids = rosters(ctx).get(team, [])
    if not ctx.together:
        return sorted(participants.some(ctx.db, ctx.session.id, set(ids)), key=lambda p: p.id)
    people = ctx.once("teams.people", lambda: {p.id: p for p in participants.roster(ctx.db, ctx.session.id)})
    return [people[i] for i in ids if i in people]

"""What the server's database holds for the team games, against what the players sent.

Read with SQLAlchemy on the server's own database URL (the app's engine factory): the teams
(who is in which, in join order), Preference Detective's `response` rows (one per player and
round, item "r0": style and message) and the Territory Challenge's `teamanswer` rows (one per
team and cell, item "q0:<customer>:<resource>": units and who set them).
"""

from sqlalchemy import text

from bench.harness.database import RESPONSES, as_json, read

TEAMS = text("""SELECT display_name, team_id FROM participant WHERE session_id = :session
                ORDER BY id""")
TEAM_ANSWERS = text("""SELECT team_id, item, value FROM teamanswer
                       WHERE session_id = :session AND activity_id = :activity""")


def teams(database_url: str, session_id: int) -> dict[int, list[str]]:
    """team id -> member names, in join order (the first is the captain)."""
    found: dict[int, list[str]] = {}
    for name, team in read(database_url, TEAMS, session=session_id):
        if team is not None:
            found.setdefault(team, []).append(name)
    return found


def detective(database_url: str, session_id: int, activity: str, sent: dict[str, dict]) -> dict:
    """sent: name -> {"style": ..., "message": ...} of every player whose choice got a 200."""
    rows = read(database_url, RESPONSES, session=session_id, activity=activity)
    stored = {name: as_json(value) for name, item, value in rows if item == "r0"}
    missing = [name for name in sent if name not in stored]
    wrong = [
        name
        for name, value in sent.items()
        if name in stored
        and (stored[name].get("style"), stored[name].get("message")) != (value["style"], value["message"])
    ]
    return {
        "rows": len(rows),
        "expected": len(sent),
        "missing": len(missing),
        "wrong": len(wrong),
        "extra": len(set(stored) - set(sent)),
        "samples": [f"missing {n}" for n in missing[:5]]
        + [f"{n}: sent {sent[n]}, stored {stored[n]}" for n in wrong[:5]],
        "lost": len(missing) + len(wrong),
    }


def challenge(
    database_url: str,
    session_id: int,
    activity: str,
    members: dict[int, list[str]],
    sent: dict[str, dict[str, int]],
) -> dict:
    """sent: name -> cell -> the last units they sent (and got a 200 for)."""
    rows = read(database_url, TEAM_ANSWERS, session=session_id, activity=activity)
    stored = {(team, item): as_json(value) for team, item, value in rows}
    team_of = {name: team for team, names in members.items() for name in names}
    expected = {
        (team_of[name], f"q0:{cell}"): (units, name)
        for name, cells in sent.items()
        for cell, units in cells.items()
    }
    missing = [key for key in expected if key not in stored]
    wrong = [
        key
        for key, (units, name) in expected.items()
        if key in stored and (stored[key].get("n"), stored[key].get("by")) != (units, name)
    ]
    over = sum(1 for key in stored if key not in expected)  # cells stored that nobody sent
    return {
        "rows": len(rows),
        "expected": len(expected),
        "missing": len(missing),
        "wrong": len(wrong),
        "extra": over,
        "samples": [f"missing {k}" for k in missing[:5]]
        + [f"{k}: sent {expected[k]}, stored {stored[k]}" for k in wrong[:5]],
        "lost": len(missing) + len(wrong),
    }

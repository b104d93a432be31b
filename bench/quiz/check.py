"""What the server's database holds after the quiz round, against what the trainees sent.

It reads the `response` rows of the question and the `pointsentry` rows the reveal awarded,
with SQLAlchemy on the server's own database URL (the app's engine factory), and names each
row's trainee so the sets can be compared with the answers sent.
"""

import json
from collections import Counter

from sqlalchemy import text

from app.db import make_engine

RESPONSES = text("""
    SELECT p.display_name, r.value FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE r.session_id = :session AND r.activity_id = :activity AND r.item = :item""")
POINTS = text("""
    SELECT p.display_name, e.points FROM pointsentry e JOIN participant p ON p.id = e.participant_id
    WHERE e.session_id = :session AND e.activity_id = :activity AND e.reason = 'quiz.correct'""")


def stored(database_url: str, session_id: int, activity_id: str, item: str) -> dict:
    """The question's response rows (name, choice) and its ledger rows (name, points)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as db:
            where = {"session": session_id, "activity": activity_id, "item": item}
            responses = [(name, _choice(value)) for name, value in db.execute(RESPONSES, where)]
            points = [tuple(row) for row in db.execute(POINTS, where)]
    finally:
        engine.dispose()
    return {"responses": responses, "points": points}


def _choice(value) -> list[str]:
    value = json.loads(value) if isinstance(value, str) else value  # SQLite returns the text
    return list(value.get("choice", []))


def compare(rows: dict, accepted: dict[str, str], right: set[str]) -> dict:
    """accepted: name -> the choice of every trainee with at least one 200 answer; right: those
    of them who chose the right option. Counts of what matches and what does not."""
    by_name = Counter(name for name, _ in rows["responses"])
    choices = dict(rows["responses"])
    awarded = Counter(name for name, _ in rows["points"])
    return {
        "response_rows": len(rows["responses"]),
        "response_trainees": len(by_name),
        "duplicate_rows": sum(count - 1 for count in by_name.values()),
        "missing": sorted(set(accepted) - set(by_name))[:20],
        "missing_count": len(set(accepted) - set(by_name)),
        "unexpected_count": len(set(by_name) - set(accepted)),
        "wrong_choice_count": sum(
            1 for name, choice in accepted.items() if name in choices and choices[name] != [choice]
        ),
        "points_rows": len(rows["points"]),
        "points_trainees": len(awarded),
        "duplicate_points": sum(count - 1 for count in awarded.values()),
        "points_missing_count": len(right - set(awarded)),
        "points_unexpected_count": len(set(awarded) - right),
        "points_total": sum(points for _, points in rows["points"]),
    }

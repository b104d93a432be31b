"""What the server's database holds after the questionnaire and the self-assessment, against what
the trainees sent.

It reads each activity's `response` rows with SQLAlchemy on the server's own database URL (the
app's engine factory), names each row's trainee, and asks the app's own services who has a
complete profile: `profiles.finished` for the questionnaire (and its scoring of each trainee's
stored answers), `selfassessment.room` for the self-assessment.
"""

import json
from collections import Counter

from sqlalchemy import text
from sqlmodel import Session

from app.db import make_engine
from app.modules import selfassessment
from app.modules.preference import CURSOR, profiles, scoring

ROWS = text("""
    SELECT p.display_name, r.item, r.value FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE r.session_id = :session AND r.activity_id = :activity""")
NAMES = text("SELECT id, display_name FROM participant WHERE session_id = :session")


def stored(database_url: str, session_id: int, preference, sa_id: str) -> dict:
    """Both activities' rows (name, item, value), the questionnaire's finished profiles by name,
    and how many trainees the self-assessment counts as finished."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as db:
            names = dict(db.execute(NAMES, {"session": session_id}).all())
            rows = {
                activity_id: [
                    (name, item, _json(value))
                    for name, item, value in db.execute(
                        ROWS, {"session": session_id, "activity": activity_id}
                    )
                ]
                for activity_id in (preference.id, sa_id)
            }
            finished = {
                names[pid]: profile for pid, profile in profiles.finished(db, session_id, preference).items()
            }
            sa_finished = selfassessment.room(db, session_id, sa_id)["finished"]
    finally:
        engine.dispose()
    return {"rows": rows, "finished": finished, "sa_finished": sa_finished}


def _json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite returns the text


def compare(rows: list[tuple], expected: dict[str, dict[str, dict]], per_trainee: int) -> dict:
    """rows: (name, item, value); expected: name -> item -> the value last accepted, for every
    trainee who posted; per_trainee: the rows each trainee must have."""
    by_name = Counter(name for name, _, _ in rows)
    wanted = {(name, item) for name, items in expected.items() for item in items}
    got = {(name, item) for name, item, _ in rows}
    cursor = sum(1 for _, item, _ in rows if item == CURSOR)
    return {
        "rows": len(rows),
        "trainees": len(by_name),
        "rows_per_trainee": dict(sorted(Counter(by_name.values()).items())),
        "trainees_with_all_rows": sum(1 for count in by_name.values() if count == per_trainee),
        "cursor_rows": cursor,
        "missing_rows": len(wanted - got),
        "extra_rows": len(got - wanted),
        "values_unlike_sent": sum(
            1
            for name, item, value in rows
            if item in expected.get(name, {}) and not _holds(value, expected[name][item])
        ),
    }


def _holds(stored: dict, sent: dict) -> bool:
    """The stored value has the fields sent (a kind may store more: the self-assessment adds
    the item's competency and the item count)."""
    return isinstance(stored, dict) and all(stored.get(key) == value for key, value in sent.items())


def profiles_unlike(finished: dict, config, expected: dict[str, dict[str, dict]]) -> int:
    """Finished profiles that differ from scoring what each trainee sent (the app's scoring)."""
    return sum(
        1
        for name, profile in finished.items()
        if name not in expected or scoring.score(config, expected[name]) != profile
    )

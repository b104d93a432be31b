"""Reading the server's database after a run, with SQLAlchemy on its own URL (the app's engine
factory), as the checks of the benches do."""

import json

from sqlalchemy import text

from app.db import make_engine

RESPONSES = text("""
    SELECT p.display_name, r.item, r.value FROM response r JOIN participant p ON p.id = r.participant_id
    WHERE r.session_id = :session AND r.activity_id = :activity""")


def as_json(value):
    return json.loads(value) if isinstance(value, str) else value  # SQLite returns the text


def read(database_url: str, query, **where) -> list[tuple]:
    engine = make_engine(database_url)
    try:
        with engine.connect() as db:
            return [tuple(row) for row in db.execute(query, where)]
    finally:
        engine.dispose()

"""The database a test runs on: SQLite in its folder, or PostgreSQL via TEST_DATABASE_URL."""

import os
from pathlib import Path

from sqlalchemy import create_engine, text


def fresh_database(tmp_path: Path) -> str:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith("postgresql"):
        return f"sqlite:///{tmp_path / 'test.db'}"
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    return url

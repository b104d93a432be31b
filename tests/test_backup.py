"""`kam backup` and `kam restore`: an archive of the database (SQLite's online backup, or
pg_dump when the suite runs on PostgreSQL) and the uploaded media brings the old data back after
it changed; a restore is not done unasked; a missing pg_dump is told plainly."""

import tarfile

import pytest
from sqlmodel import Session, select

from app import backup, cli
from app.auth import accounts
from app.db import make_engine
from app.models import Facilitator
from tests.support.clients import PASSWORD


@pytest.fixture
def console(settings, monkeypatch):
    """`kam` run with the test's settings, as an operator's environment gives them."""
    for name, value in {
        "ENVIRONMENT": "test",
        "DATABASE_URL": settings.database_url,
        "DATA_DIR": str(settings.data_dir),
        "SECRET_KEY": settings.secret_key,
    }.items():
        monkeypatch.setenv(name, value)
    return cli.main


def names(url: str) -> set[str]:
    engine = make_engine(url)
    with Session(engine) as db:
        found = set(db.exec(select(Facilitator.username)))
    engine.dispose()
    return found


def test_a_backup_restored_brings_the_old_data_back(client, db, settings, console, tmp_path):
    accounts.create(db, "kept", PASSWORD)
    media = settings.data_dir / "sessions" / "1" / "media"
    media.mkdir(parents=True)
    (media / "call.mp4").write_bytes(b"the day's video")
    archive = tmp_path / "elsewhere" / "backup.tar.gz"
    assert console(["backup", str(archive)]) == 0
    with tarfile.open(archive) as saved:
        inside = set(saved.getnames())
    assert "sessions/1/media/call.mp4" in inside and "secret_key" not in inside

    accounts.create(db, "added later", PASSWORD)
    db.delete(db.exec(select(Facilitator).where(Facilitator.username == "kept")).one())
    db.commit()
    (media / "call.mp4").write_bytes(b"replaced")
    (media / "other.mp4").write_bytes(b"uploaded later")
    db.close()
    client.app.state.engine.dispose()  # the server is stopped for a restore

    assert console(["restore", str(archive)]) == 1  # not unasked
    assert names(settings.database_url) == {"added later"}
    assert console(["restore", str(archive), "--yes"]) == 0
    assert names(settings.database_url) == {"kept"}
    assert (media / "call.mp4").read_bytes() == b"the day's video" and not (media / "other.mp4").exists()


def test_an_archive_of_another_database_kind_is_refused(client, settings, tmp_path):
    archive = backup.create(settings, tmp_path / "backup.tar.gz")
    other = "postgresql://nobody@127.0.0.1/none" if settings.is_sqlite else f"sqlite:///{tmp_path / 'x.db'}"
    with pytest.raises(backup.BackupError, match="DATABASE_URL"):
        backup.restore(settings.model_copy(update={"database_url": other}), archive)


def test_a_missing_pg_dump_is_told(monkeypatch):
    monkeypatch.setattr(backup.shutil, "which", lambda _program: None)
    with pytest.raises(backup.BackupError, match="pg_dump is not on PATH"):
        backup._run("pg_dump", "--version")

"""`kam backup` / `kam restore`: the database and the uploaded media of DATA_DIR in one archive.

SQLite is copied with its online backup (a consistent copy while the server runs and writes);
PostgreSQL with pg_dump's custom format, restored by pg_restore (both must be on PATH). Restore
over a stopped server: it replaces the database's tables and DATA_DIR/sessions/ with the
archive's. The generated secret (DATA_DIR/secret_key) stays out of the archive: after a restore
on another machine facilitators log in again."""

import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from app.config import Settings

FORMAT = 1
MANIFEST, SQLITE_FILE, PG_FILE, MEDIA = "manifest.json", "database.sqlite", "database.pgdump", "sessions"


class BackupError(Exception):
    """What the operator is told, on the console, in English and Chinese."""


def default_target(settings: Settings) -> Path:
    return settings.data_dir / "backups" / f"kam-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz"


def create(settings: Settings, target: Path) -> Path:
    """The archive at `target`: the manifest, the database, DATA_DIR/sessions/."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        kind = _dump(settings.database_url, folder)
        manifest = {"format": FORMAT, "database": kind, "created": datetime.now(UTC).isoformat()}
        (folder / MANIFEST).write_text(json.dumps(manifest))
        with tarfile.open(target, "w:gz") as archive:
            for name in (MANIFEST, SQLITE_FILE, PG_FILE):
                if (folder / name).exists():
                    archive.add(folder / name, arcname=name)
            media = settings.data_dir / MEDIA
            if media.is_dir():
                archive.add(media, arcname=MEDIA)
    return target


def restore(settings: Settings, source: Path) -> dict:
    """Put the archive's database and media in place of the current ones; its manifest."""
    with tempfile.TemporaryDirectory() as work, tarfile.open(source, "r:gz") as archive:
        folder = Path(work)
        archive.extractall(folder, filter="data")  # no path leaves the folder, no device files
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest.get("format") != FORMAT or manifest.get("database") != _kind(settings.database_url):
            raise BackupError(
                f"this archive holds a {manifest.get('database')} database; DATABASE_URL is "
                f"{_kind(settings.database_url)} / 备份的数据库类型与 DATABASE_URL 不一致"
            )
        _load(settings.database_url, folder)
        media = settings.data_dir / MEDIA
        shutil.rmtree(media, ignore_errors=True)
        if (folder / MEDIA).is_dir():
            shutil.copytree(folder / MEDIA, media)
    return manifest


def _kind(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def _dump(url: str, folder: Path) -> str:
    if _kind(url) == "sqlite":
        with closing(_sqlite(url)) as live, closing(sqlite3.connect(folder / SQLITE_FILE)) as copy:
            live.backup(copy)  # online: pages are copied while the server may write
        return "sqlite"
    _run("pg_dump", "--format=custom", "--no-owner", f"--file={folder / PG_FILE}", _libpq(url))
    return "postgresql"


def _load(url: str, folder: Path) -> None:
    if _kind(url) == "sqlite":
        with closing(sqlite3.connect(folder / SQLITE_FILE)) as saved, closing(_sqlite(url, new=True)) as live:
            saved.backup(live)  # the same online copy, the other way: replaces every page
        return
    _run(
        "pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={_libpq(url)}", str(folder / PG_FILE)
    )


def _sqlite(url: str, new: bool = False) -> sqlite3.Connection:
    """The database file of the URL; restoring onto a new machine creates it."""
    path = make_url(url).database
    if not path or not (new or Path(path).exists()):
        raise BackupError(f"no SQLite database at {path} / 找不到 SQLite 数据库")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return sqlite3.connect(path, timeout=30)


def _libpq(url: str) -> str:
    """The URL as pg_dump reads it (SQLAlchemy's driver name left out)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run(program: str, *arguments: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(
            f"{program} is not on PATH: install the PostgreSQL client tools (apt-get install "
            f"postgresql-client) of the server's version / 找不到 {program}，请安装 PostgreSQL 客户端工具"
        )
    done = subprocess.run([program, *arguments], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{program} failed / {program} 出错:\n{done.stderr.strip()}")

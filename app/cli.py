"""The `kam` console command: serve, content check, facilitator accounts, backup and restore."""

import argparse
import getpass
import os
import secrets
import socket
import sys
import tarfile
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from app.config import Settings
from app.course.loader import ContentErrors, load_courses
from app.errors import ServiceError
from app.kinds import KINDS
from app.modules.contract import Command

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

LOOPBACK = ("127.0.0.1", "localhost", "::1")
EVERY_ADDRESS = ("0.0.0.0", "::", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kam", description="大客户管理 Workshop")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers",
        type=int,
        default=1,
        help="processes (with HUB_URL=redis://… and a database all of them reach)",
    )
    content = commands.add_parser("content", help="course content")
    content.add_argument("action", choices=["check"])
    content.add_argument("path", nargs="?", type=Path, help="content folder (default: settings)")
    facilitator = commands.add_parser("facilitator", help="facilitator accounts")
    facilitator.add_argument("action", choices=["add", "password"])
    facilitator.add_argument("username")
    facilitator.add_argument("--password", help="default: ask (or generate when not a terminal)")
    facilitator.add_argument("--admin", action="store_true", help="add: sees and runs every session")
    backup = commands.add_parser("backup", help="copy the database and uploaded media into one archive")
    backup.add_argument("file", nargs="?", type=Path, help="default: DATA_DIR/backups/kam-<time>.tar.gz")
    restore = commands.add_parser("restore", help="replace the database and media with an archive's")
    restore.add_argument("file", type=Path)
    restore.add_argument("--yes", action="store_true", help="do not ask (the server must be stopped)")
    handler = {
        "serve": _serve,
        "content": _content_check,
        "facilitator": _facilitator,
        "backup": _backup,
        "restore": _restore,
    }
    for command in (command for kind in KINDS for command in kind.commands):
        command.arguments(commands.add_parser(command.name, help=command.help))
        handler[command.name] = partial(_kind_command, command)
    args = parser.parse_args(argv)
    return handler[args.command](args)


def _kind_command(command: Command, args: argparse.Namespace) -> int:
    """A kind's own command, with the settings and the courses it runs on."""
    settings = Settings()
    return command.run(args, settings, load_courses(settings.content_dir, KINDS))


def _content_check(args) -> int:
    folder = args.path or Settings().content_dir
    try:
        courses = load_courses(folder, KINDS)
    except ContentErrors as problems:
        print(f"{len(problems.errors)} problem(s) in {folder}:", file=sys.stderr)
        for error in problems.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    for course in courses.values():
        day = course.timetable
        span = f", {day.time_of_day(0)}–{day.ends_at}" if day.ends_at else ""
        print(
            f"ok  {course.id}: {len(course.units)} units, {len(course.activities)} activities; "
            f"{day.teaching} teaching minutes, {day.breaks} break minutes, "
            f"{day.changeovers} changeover minutes{span}"
        )
        for unit in course.units:
            part = day.units[unit.id]
            print(
                f"    {unit.id}: teaching {part.teaching}, breaks {part.breaks}, "
                f"changeovers {part.changeovers} ({len(unit.activities)} activities)"
            )
    return 0


def _facilitator(args) -> int:
    from sqlmodel import Session

    from app.auth import accounts

    settings = Settings()
    password = args.password or _ask_password()
    engine = _database(settings)
    try:
        with Session(engine) as db:
            if args.action == "add":
                accounts.create(db, args.username, password, admin=args.admin)
            else:
                accounts.set_password(db, args.username, password)
    except ServiceError as error:
        print(f"error: {error.key}", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    if not args.password and not sys.stdin.isatty():
        print(f"password: {password}")
    print(f"facilitator {args.username!r} saved")
    return 0


def _backup(args) -> int:
    from app import backup

    settings = Settings()
    try:
        target = backup.create(settings, args.file or backup.default_target(settings))
    except backup.BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"backup written: {target}")
    return 0


def _restore(args) -> int:
    from app import backup

    settings = Settings()
    if not args.yes and not _confirmed(
        f"replace the database and {settings.data_dir / 'sessions'} with {args.file}?"
    ):
        print("nothing restored (confirm with --yes)", file=sys.stderr)
        return 1
    try:
        manifest = backup.restore(settings, args.file)
    except (backup.BackupError, OSError, tarfile.TarError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"restored the backup of {manifest['created']}; `kam serve` brings its tables up to date")
    return 0


def _confirmed(question: str) -> bool:
    """Restoring replaces everything: asked on a terminal, refused elsewhere without --yes."""
    if not sys.stdin.isatty():
        return False
    return input(f"{question} [type yes] ").strip() == "yes"


def _ask_password() -> str:
    if not sys.stdin.isatty():
        return secrets.token_urlsafe(12)
    return getpass.getpass("password (8+ characters): ")


def _serve(args) -> int:
    """Check the content, prepare the database, then serve: the app runs on the courses loaded
    here (loaded once), and the addresses are printed only once the port accepts connections."""
    from sqlmodel import Session

    settings = Settings()
    if args.workers > 1 and settings.hub_url.startswith("memory://"):
        print(
            "--workers needs HUB_URL=redis://host:6379/0: workers share their rooms through Redis",
            file=sys.stderr,
        )
        return 2
    try:
        courses = load_courses(settings.content_dir, KINDS)
    except ContentErrors as problems:
        print(f"content problems:\n{problems}", file=sys.stderr)
        return 1
    engine = _database(settings)
    with Session(engine) as db:
        first_login = _first_facilitator(db)
    engine.dispose()
    base = settings.public_url or f"http://{_reachable_host(args.host)}:{args.port}"
    welcome = _welcome(_local_host(args.host), args.port, base, first_login)
    # QR codes must point where phones can reach
    if args.workers > 1:
        _run_workers(settings.model_copy(update={"public_url": base}), args, welcome)
    else:
        _run(settings.model_copy(update={"public_url": base}), courses, args, welcome)
    return 0


def _run_workers(settings: Settings, args, welcome: str) -> None:
    """Several processes on one port: each builds the app from the environment (app.main:
    worker_app); this one says where to open it once a worker answers."""
    import threading

    import uvicorn

    os.environ["PUBLIC_URL"] = settings.public_url  # the workers read their settings from it
    local = f"http://{_local_host(args.host)}:{args.port}"
    threading.Thread(target=_announce_when_ready, args=(local, welcome), daemon=True).start()
    uvicorn.run(
        "app.main:worker_app",
        factory=True,
        workers=args.workers,
        host=args.host,
        port=args.port,
        **_served(settings),
    )


def _announce_when_ready(url: str, welcome: str) -> None:
    import time
    import urllib.request

    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=5) as answer:
                if answer.status == 200:
                    print(welcome, flush=True)
                    return
        except OSError:
            time.sleep(0.2)


def _served(settings: Settings) -> dict:
    """How uvicorn serves the app, with one worker or several."""
    return {
        "ws_max_size": settings.ws_max_message_bytes,
        "ws_per_message_deflate": False,
        "proxy_headers": False,  # the app believes only TRUSTED_PROXIES (see create_app)
        "backlog": 4096,  # a hall's phones reconnecting at once (uvicorn's 2,048 overflowed at 5,000)
        "timeout_graceful_shutdown": 5,
        "log_level": "warning",
    }


def _run(settings: Settings, courses, args, welcome: str) -> None:
    import uvicorn  # the server's own imports, not needed by the other commands

    from app.main import create_app

    class Announcing(uvicorn.Server):
        """Says where to open the app once it listens: a link printed earlier is refused."""

        async def startup(self, sockets=None) -> None:
            await super().startup(sockets)
            if self.started:
                print(welcome, flush=True)

    config = uvicorn.Config(
        create_app(settings, courses=courses), host=args.host, port=args.port, **_served(settings)
    )
    Announcing(config).run()


def _welcome(local: str, port: int, base: str, first_login: tuple[str, str] | None) -> str:
    lines = [
        "",
        "  大客户管理 Workshop is running.",
        f"  Facilitator: http://{local}:{port}/control",
        f"  Trainees:    {base}/join",
    ]
    if first_login:
        lines += [
            f"  First run: log in as {first_login[0]!r} with password {first_login[1]!r}",
            f"  (change it with: kam facilitator password {first_login[0]})",
        ]
    return "\n".join([*lines, ""])


def _reachable_host(host: str) -> str:
    """Where phones reach a server listening on `host`: the room's network only when it listens
    on every address; an address it was told to listen on is the only one that answers."""
    return _lan_address() if host in EVERY_ADDRESS else _bracketed(host)


def _local_host(host: str) -> str:
    """Where the facilitator's own browser reaches it."""
    return "localhost" if host in EVERY_ADDRESS or host in LOOPBACK else _bracketed(host)


def _bracketed(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _first_facilitator(db: "Session") -> tuple[str, str] | None:
    """On an empty database, create the first facilitator and return its login."""
    from app.auth import accounts

    if accounts.count(db):
        return None
    password = secrets.token_urlsafe(9)
    accounts.create(db, "trainer", password, admin=True)  # the server's first account
    return "trainer", password


def _database(settings: Settings) -> "Engine":
    """The engine on the settings' database, migrated (its folder made first)."""
    from app import migrations
    from app.db import make_engine

    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.database_url)
    migrations.upgrade(engine)
    return engine


def _lan_address() -> str:
    """This machine's address on the room's network (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.255.255.255", 1))
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


if __name__ == "__main__":
    sys.exit(main())

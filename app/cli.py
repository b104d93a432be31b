"""The `kam` console command: serve, content check, facilitator accounts, backup and restore."""

import argparse
import getpass
import secrets
import socket
import sys
import tarfile
from functools import partial
from pathlib import Path

from sqlmodel import Session

from app import backup, migrations
from app.auth import accounts
from app.config import Settings
from app.course.loader import ContentErrors, load_courses
from app.db import make_engine
from app.errors import ServiceError
from app.kinds import KINDS
from app.modules.contract import Command


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kam", description="大客户管理 Workshop")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8000)
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
    settings = Settings()
    password = args.password or _ask_password()
    engine = make_engine(_ensure_data_dir(settings))
    migrations.upgrade(engine)
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
    settings = Settings()
    try:
        target = backup.create(settings, args.file or backup.default_target(settings))
    except backup.BackupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    print(f"backup written: {target}")
    return 0


def _restore(args) -> int:
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
    import uvicorn

    from app.main import create_app

    settings = Settings()
    try:
        courses = load_courses(settings.content_dir, KINDS)
    except ContentErrors as problems:
        print(f"content problems:\n{problems}", file=sys.stderr)
        return 1
    engine = make_engine(_ensure_data_dir(settings))
    migrations.upgrade(engine)
    with Session(engine) as db:
        first_login = _first_facilitator(db)
    engine.dispose()
    lan = _lan_address()
    base = settings.public_url or f"http://{lan}:{args.port}"
    print(
        f"\n  大客户管理 Workshop is running.\n"
        f"  Facilitator: http://localhost:{args.port}/control\n"
        f"  Trainees:    {base}/join"
    )
    if first_login:
        print(
            f"  First run: log in as {first_login[0]!r} with password {first_login[1]!r}\n"
            f"  (change it with: kam facilitator password {first_login[0]})"
        )
    print()
    uvicorn.run(
        # QR codes must point where phones can reach
        create_app(settings.model_copy(update={"public_url": base}), courses=courses),
        host=args.host,
        port=args.port,
        ws_max_size=settings.ws_max_message_bytes,
        ws_per_message_deflate=False,
        proxy_headers=False,  # the app believes only TRUSTED_PROXIES (see create_app)
        backlog=4096,  # a hall's phones reconnecting at once (uvicorn's 2,048 overflowed at 5,000)
        timeout_graceful_shutdown=5,
        log_level="warning",
    )
    return 0


def _first_facilitator(db: Session) -> tuple[str, str] | None:
    """On an empty database, create the first facilitator and return its login."""
    if accounts.count(db):
        return None
    password = secrets.token_urlsafe(9)
    accounts.create(db, "trainer", password, admin=True)  # the server's first account
    return "trainer", password


def _ensure_data_dir(settings: Settings) -> str:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return settings.database_url


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

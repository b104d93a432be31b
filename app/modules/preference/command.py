"""`kam preference quality SESSION…`: how reliable the questionnaire's agree/disagree statements
were in real sessions (Cronbach's alpha per style, each statement's item-total correlation)."""

import argparse
import sys

from sqlmodel import Session

from app.config import Settings
from app.course.models import Course
from app.db import make_engine
from app.errors import ServiceError
from app.modules.contract import Command
from app.modules.preference import profiles, quality


def _arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", choices=["quality"], help="reliability of the agree/disagree statements (Cronbach's alpha)"
    )
    parser.add_argument("sessions", nargs="+", type=int, help="session ids (one course)")


def _quality(args: argparse.Namespace, settings: Settings, courses: dict[str, Course]) -> int:
    engine = make_engine(settings.database_url)
    try:
        with Session(engine) as db:
            course, activity, people = profiles.answers_of_sessions(db, courses, args.sessions)
    except ServiceError as error:
        print(f"error: {error.key} (sessions {args.sessions})", file=sys.stderr)
        return 1
    finally:
        engine.dispose()  # a test calls the command in-process: leave no connection open
    print(
        f"{activity.id}: sessions {', '.join(map(str, args.sessions))}, {len(people)} trainees "
        f"(alpha ≥ 0.70 is acceptable)"
    )
    for style in quality.reliability(activity.config, people):
        name = course.style(style.style).name
        print(f"{name.get('zh-CN')} {name.get('en')}  n={style.respondents}  alpha={_figure(style.alpha)}")
        for item in style.items:
            print(f"  {item.id:<24} mean {_figure(item.mean)}  item-total {_figure(item.item_total)}")
    return 0


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


QUALITY = Command("preference", "the thinking-preference questionnaire", _arguments, _quality)

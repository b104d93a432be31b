"""The course the benches run, as the app loads it: the only place bench calls the app's course
loader, so that a change to it is met here once."""

from pathlib import Path

from app.config import ROOT
from app.course.loader import load_courses
from app.kinds import KINDS

COURSE = "kam"


def sample_course(root: Path = ROOT, course_id: str = COURSE):
    """The course in root's content/ (the app's own loader, models and kinds)."""
    return load_courses(root / "content", KINDS)[course_id]


def with_own_part(root: Path = ROOT, course_id: str = COURSE) -> set[str]:
    """The activities whose kind gives each trainee a part of their own beside the room's stage."""
    course = sample_course(root, course_id)
    return {activity.id for activity in course.activities if course.kind_of(activity).own}


def first_of_kind(kind: str, root: Path = ROOT, course_id: str = COURSE) -> str:
    """The id of the course's first activity of this kind."""
    return next(a.id for a in sample_course(root, course_id).activities if a.kind == kind)

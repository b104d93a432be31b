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

"""The course the benches run, as the app loads it: the only place bench calls the app's course
loader or imports its table of activity kinds, so that a change to either is met here once.
"""

from pathlib import Path

from app.config import ROOT
from app.course.loader import load_courses
from app.modules import registry  # noqa: F401 (every kind, in the app's order: a kind's own module first is a circular import)

COURSE = "kam"


def sample_course(root: Path = ROOT, course_id: str = COURSE):
    """The course in root's content/ (the app's own loader and models)."""
    return load_courses(root / "content")[course_id]

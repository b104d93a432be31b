"""The quiz question under test, read from the course content, and who answers it what and when.

The plan is drawn from a seeded random generator: every trainee taps once at a time spread
uniformly over the window; about `right_share` of them pick the right option, the others one of
the wrong ones; about `double_share` tap a second time (the same choice) 50–300 ms later.
"""

import random
from pathlib import Path

from bench.harness.course import COURSE, ROOT, sample_course


def first_question(activity_id: str, course_id: str = COURSE, root: Path = ROOT):
    """The activity's first question in root's content (the app's own loader and models)."""
    activity = sample_course(root, course_id).activity(activity_id)
    if activity is None or activity.kind != "quiz":
        raise RuntimeError(f"{activity_id!r} is not a quiz of the {course_id!r} course")
    question = activity.config.questions[0]
    if question.type != "single":
        raise RuntimeError(f"the first question of {activity_id!r} is not single-choice")
    return question


def answer_plan(
    names: list[str], question, window: float, seed: int, right_share: float = 0.6, double_share: float = 0.1
) -> dict[str, dict]:
    """name -> {"at": seconds into the window, "choice": option id, "right": bool,
    "again": seconds of the double tap, or None}."""
    rng = random.Random(seed)
    right = question.correct[0]
    wrong = [option.id for option in question.options if option.id != right]
    plan = {}
    for name in names:
        is_right = rng.random() < right_share
        at = rng.uniform(0, window)
        again = at + rng.uniform(0.05, 0.3) if rng.random() < double_share else None
        plan[name] = {
            "at": round(at, 4),
            "choice": right if is_right else rng.choice(wrong),
            "right": is_right,
            "again": None if again is None else round(again, 4),
        }
    return plan

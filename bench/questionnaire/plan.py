"""The questionnaire and the self-assessment under test, read from the course content, and who
posts what, when.

Every trainee sends the same number of posts to both activities (one per questionnaire
question), at the same planned times, drawn from a seeded random generator:
- the first post at a moment drawn uniformly from the first 10 % of the window, the last one
  from its second half, so the whole room is planned to finish within the window;
- the think times in between are random shares of that span, a ranking block (four statements
  to order) taking about 2.5 times as long as a statement to rate;
- about `double_share` of the posts are tapped twice: the same form again 50–300 ms later.
The questionnaire's answers are random: a random order in each block, a random agreement (1–5)
with each statement, in the questions' order. The self-assessment rates its items in order
with random scores; the posts left over re-rate items already rated (a trainee changing their
mind), placed at random before the last item, so that the last post completes the profile in
both activities.
"""

import random
from pathlib import Path

from app.course.models import STYLE_IDS
from app.modules.preference.config import Block, PreferenceConfig
from bench.harness.course import COURSE, ROOT, sample_course

PREFERENCE = "u3-preference-questionnaire"
SELF_ASSESSMENT = "u1-self-assessment"
PROFILE = {PREFERENCE: 'id="pref-profile"', SELF_ASSESSMENT: 'id="sa-profile"'}
SA_SAVED = 'class="saved" role="status">✓'  # the self-assessment's view shows the progress
BLOCK_WEIGHT = 2.5  # a ranking block takes longer to answer than a statement


def activity(activity_id: str, kind: str, course_id: str = COURSE, root: Path = ROOT):
    """The activity in root's content (the app's own loader and models)."""
    found = sample_course(root, course_id).activity(activity_id)
    if found is None or found.kind != kind:
        raise RuntimeError(f"{activity_id!r} is not a {kind} activity of the {course_id!r} course")
    return found


def timing(
    names: list[str], config: PreferenceConfig, window: float, seed: int, double_share: float
) -> dict[str, list[tuple[float, float | None]]]:
    """name -> one (seconds into the window, seconds to the double tap or None) per question."""
    rng = random.Random(seed)
    weights = [BLOCK_WEIGHT if isinstance(q, Block) else 1.0 for q in config.questions]
    times = {}
    for name in names:
        first, last = rng.uniform(0, 0.1 * window), rng.uniform(0.5 * window, window)
        gaps = [weight * rng.uniform(0.5, 1.5) for weight in weights[1:]]
        at, moments = first, [first]
        for gap in gaps:
            at += gap * (last - first) / sum(gaps)
            moments.append(at)
        times[name] = [
            (round(moment, 4), round(rng.uniform(0.05, 0.3), 4) if rng.random() < double_share else None)
            for moment in moments
        ]
    return times


def preference_posts(config: PreferenceConfig, times: list[tuple], rng: random.Random) -> list[dict]:
    """One trainee's answers, in the questions' order; each post says what its reply must show
    (the next question, or the profile after the last) and the value the database must keep."""
    posts, questions = [], config.questions
    for index, (question, (at, again)) in enumerate(zip(questions, times, strict=True)):
        if isinstance(question, Block):
            value = {"order": rng.sample(list(STYLE_IDS), len(STYLE_IDS))}
        else:
            value = {"agree": rng.randint(1, 5)}
        following = questions[index + 1] if index + 1 < len(questions) else None
        posts.append(
            {
                "action": "answer",
                "at": at,
                "again": again,
                "item": question.id,
                "value": value,
                "form": {"activity": PREFERENCE, "item": question.id, **value},
                "marker": f'name="item" value="{following.id}"' if following else PROFILE[PREFERENCE],
            }
        )
    return posts


def selfassessment_posts(
    items: list[str], scores: list[int], times: list[tuple], rng: random.Random
) -> list[dict]:
    """One trainee's ratings: every item in order, with len(times) − len(items) re-ratings of
    items already rated slipped in before the last item."""
    extra = len(times) - len(items)
    if extra < 0:
        raise RuntimeError(f"{len(items)} items to rate in {len(times)} posts")
    slots = sorted(rng.choices(range(1, len(items)), k=extra))  # re-rate after this many items
    ratings = []
    for rated, item in enumerate(items):
        while slots and slots[0] == rated:
            slots.pop(0)
            ratings.append((rng.choice(items[:rated]), rng.choice(scores)))
        ratings.append((item, rng.choice(scores)))
    last = len(ratings) - 1
    return [
        {
            "action": "rate",
            "at": at,
            "again": again,
            "item": item,
            "value": {"score": score},
            "form": {"activity": SELF_ASSESSMENT, "item": item, "score": score},
            "marker": PROFILE[SELF_ASSESSMENT] if index == last else SA_SAVED,
        }
        for index, ((item, score), (at, again)) in enumerate(zip(ratings, times, strict=True))
    ]


def plans(
    names: list[str], preference, selfassessment, window: float, seed: int, double_share: float
) -> dict[str, dict[str, list[dict]]]:
    """activity id -> name -> posts, the same times for both activities."""
    times = timing(names, preference.config, window, seed, double_share)
    items = list(selfassessment.config.competency_of)
    scores = selfassessment.config.scale.scores
    rng = random.Random(seed + 1)
    return {
        PREFERENCE: {name: preference_posts(preference.config, times[name], rng) for name in names},
        SELF_ASSESSMENT: {name: selfassessment_posts(items, scores, times[name], rng) for name in names},
    }


def final_values(posts: list[dict], accepted: set[int]) -> dict[str, dict]:
    """item -> the value the database should keep: the last one accepted (posts by index)."""
    values = {}
    for index, post in enumerate(posts):
        if index in accepted:
            values[post["item"]] = post["value"]
    return values

"""The day's timing: every activity's own clock fits its minutes with room to explain and debrief
(a rule checked for all timings), the timetable adds up (for any course), the sample is six hours
of teaching with the breaks of a training day, and the content check refuses what cannot fit,
naming file, line and field."""

import re
from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.cli import main as cli
from app.config import ROOT
from app.course import timing
from app.course.loader import ContentErrors, load_courses
from app.kinds import KINDS
from app.modules.contract import Timing

UNIT4 = "kam/units/4-changing-customers.yaml"


def sample():
    return load_courses(ROOT / "content", KINDS)["kam"]


# ---- services: the rule for an activity's own timing ------------------------------------------


@given(seconds=st.floats(min_value=0.5, max_value=4 * 3600), minutes=st.integers(min_value=1, max_value=180))
def test_an_own_timing_fits_when_the_minutes_hold_it_and_the_room_around_it(seconds, minutes):
    room = max(timing.MARGIN_MIN_SECONDS, timing.MARGIN_SHARE * seconds)
    fits = timing.misfit(minutes, Timing(seconds, "test")) is None
    assert fits == (minutes * 60 >= seconds + room - 1e-6)


@given(seconds=st.floats(min_value=0.5, max_value=170 * 60))
def test_needed_minutes_are_the_fewest_that_fit(seconds):
    need = timing.needed_minutes(seconds)
    assert timing.misfit(need, Timing(seconds, "test")) is None
    assert need == 1 or timing.misfit(need - 1, Timing(seconds, "test")) is not None


def test_no_own_timing_always_fits():
    assert timing.misfit(1, None) is None
    assert timing.misfit(1, Timing(0, "nothing on the clock")) is None


def test_the_examples_the_rule_gives():
    assert timing.needed_minutes(5 * 30) == 4  # five quiz questions of 30 s
    assert timing.needed_minutes(4 * 300) == 25  # four game quarters of 300 s
    assert "4 rounds × 300 s = 20:00" in timing.misfit(15, Timing(1200, "4 rounds × 300 s"))


def test_each_kind_says_what_its_own_timing_is():
    course = sample()
    own = {a.id: course.kind_of(a).own_timing(a.config) for a in course.activities}
    assert own["u4-game-territory"] == Timing(3 * 240, "3 rounds × 240 s")
    assert own["u3-game-detective"].seconds == 5 * 60  # five rounds of the bank of 18
    assert own["u3-quiz"].seconds == sum(q.seconds or 30 for q in course.activity("u3-quiz").config.questions)
    assert own["u3-case-script"].seconds == course.activity("u3-case-script").config.running_seconds
    assert own["u4-plan-writing"].seconds == 17 * 120
    assert own["u1-welcome"] is None and own["u3-lunch"] is None  # a card, a break: no clock of their own


# ---- services: the timetable -------------------------------------------------------------------


@dataclass(frozen=True)
class FakeActivity:
    id: str
    minutes: int
    is_break: bool
    changeover: int | None = None


@dataclass(frozen=True)
class FakeUnit:
    id: str
    activities: list


@dataclass(frozen=True)
class FakeSchedule:
    changeover: int = 1
    starts: str | None = "09:00"


@dataclass
class FakeCourse:
    units: list
    schedule: FakeSchedule | None = field(default_factory=FakeSchedule)

    def kind_of(self, activity):
        return type("Kind", (), {"is_break": activity.is_break})


activities = st.builds(
    FakeActivity,
    id=st.uuids().map(str),
    minutes=st.integers(min_value=1, max_value=180),
    is_break=st.booleans(),
    changeover=st.none() | st.integers(min_value=0, max_value=30),
)
courses = st.builds(
    FakeCourse,
    units=st.lists(
        st.builds(FakeUnit, id=st.uuids().map(str), activities=st.lists(activities, min_size=1, max_size=8)),
        min_size=1,
        max_size=5,
    ),
    schedule=st.none() | st.builds(FakeSchedule, changeover=st.integers(min_value=0, max_value=10)),
)


@given(courses)
def test_the_timetable_adds_up_for_any_course(course):
    day = timing.timetable(course)
    every = [a for unit in course.units for a in unit.activities]
    assert [s.activity for s in day.slots] == every
    assert day.teaching == sum(a.minutes for a in every if not a.is_break)
    assert day.breaks == sum(a.minutes for a in every if a.is_break)
    assert day.total == day.teaching + day.breaks + day.changeovers == day.slots[-1].ends
    assert day.slots[0].starts == day.slots[0].changeover == 0  # the day starts with its first activity
    for before, after in zip(day.slots, day.slots[1:], strict=False):
        assert after.starts == before.ends + after.changeover  # one after the other, never overlapping
        if after.activity.changeover is None:
            default = course.schedule.changeover if course.schedule else 0
            beside_a_break = before.is_break or after.is_break
            assert after.changeover == (0 if beside_a_break else default)


def test_the_sample_day_is_six_hours_of_teaching_with_the_breaks_of_a_training_day():
    course = sample()
    day = course.timetable
    assert day.teaching == 360 == course.schedule.teaching_minutes
    breaks = {s.activity.id: s.activity.minutes for s in day.slots if s.is_break}
    assert breaks == {"u2-morning-break": 15, "u3-lunch": 60, "u4-afternoon-break": 15}
    assert day.start_of("u2-morning-break") < "11:00" < day.start_of("u3-lunch") <= "12:30"
    assert "14:00" < day.start_of("u4-afternoon-break") < "15:30"
    assert 20 <= day.changeovers <= 45 and day.ends_at <= "17:30"
    assert course.activity("u4-plan-writing").minutes >= 45
    assert [a.id for a in course.units[2].activities if a.kind == "case"] == ["u3-case-script"]


def test_units_two_to_four_end_with_the_day_s_standings_and_the_ceremony_comes_before_the_wrap_up():
    course = sample()
    ends = [
        [a for a in unit.activities if a.kind == "leaderboard"][-1].config.scope for unit in course.units[1:]
    ]
    assert ends == ["day", "day", "day"]
    last = [a.id for a in course.units[3].activities][-2:]
    assert last == ["u4-ceremony", "u4-wrap-up"]
    ceremony = course.activity("u4-ceremony").config
    assert ceremony.ceremony and ceremony.badges and ceremony.scope == "day"


# ---- the content check -------------------------------------------------------------------------


def _rewrite(folder, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _errors(folder) -> list[str]:
    with pytest.raises(ContentErrors) as caught:
        load_courses(folder, KINDS)
    return [str(e) for e in caught.value.errors]


def _line_of(folder, name: str, text: str) -> int:
    lines = (folder / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_a_game_that_cannot_fit_its_minutes_is_refused_with_file_line_and_field(course_copy):
    _rewrite(course_copy, "kam/games/challenge.yaml", "seconds: 240 ", "seconds: 300 ")
    _rewrite(course_copy, "kam/games/challenge.yaml", "quarters: 3", "quarters: 4")
    line = _line_of(course_copy, UNIT4, "id: u4-game-territory") + 3  # its `minutes:`
    errors = _errors(course_copy)
    assert any(
        e.startswith(f"content/{UNIT4}:{line}: activities[")
        and ".minutes: 20 minutes cannot hold its own timing (4 rounds × 300 s = 20:00)" in e
        and "plan 25 minutes or more" in e
        and "(set in games/challenge.yaml)" in e
        for e in errors
    ), errors


def _quiz(minutes: int) -> str:
    """Six true-or-false questions of 60 s each, as an activity of a unit file."""
    questions = "".join(
        f"      - {{id: q{n}, type: truefalse, prompt: {{zh-CN: 题, en: Question}}, answer: true,"
        f" explanation: {{zh-CN: 解析, en: Why}}}}\n"
        for n in range(6)
    )
    return (
        "\n  - id: u1-more-questions\n    kind: quiz\n    title: {zh-CN: 测验, en: Quiz}\n"
        f"    minutes: {minutes}\n    seconds: 60\n    questions:\n{questions}"
    )


def test_a_quiz_is_refused_when_its_questions_cannot_fit_and_accepted_when_they_can(course_copy):
    unit = course_copy / "kam/units/1-success-factors.yaml"
    original = unit.read_text(encoding="utf-8")
    # six questions of 60 s (6:00) need 7:30 with the room around them: 7 minutes are too few
    unit.write_text(original + _quiz(7), encoding="utf-8")
    line = _line_of(course_copy, "kam/units/1-success-factors.yaml", "id: u1-more-questions") + 3
    (error,) = [e for e in _errors(course_copy) if "u1-more" in e or "cannot hold" in e]
    assert error.startswith(f"content/kam/units/1-success-factors.yaml:{line}: activities[8].minutes: ")
    assert "7 minutes cannot hold its own timing (6 questions × 60 s = 6:00)" in error
    assert "with 1:30 to introduce, reveal and debrief it" in error and "plan 8 minutes or more" in error
    unit.write_text(original + _quiz(8), encoding="utf-8")
    errors = _errors(course_copy)  # it fits now: only the day's total is off (8 minutes more)
    assert errors == [
        f"content/kam/course.yaml:{_line_of(course_copy, 'kam/course.yaml', 'teaching_hours')}: "
        "schedule.teaching_hours: the units teach 368 minutes, 8 more than the 6 hours (360 minutes) "
        "it promises (breaks are counted apart: 90 minutes)"
    ]


def test_plan_writing_needs_its_forty_three_minutes(course_copy):
    _rewrite(course_copy, UNIT4, "    minutes: 45\n    changeover: 2", "    minutes: 42\n    changeover: 2")
    assert any(
        "minutes: 42 minutes cannot hold its own timing (17 fields × 120 s of writing = 34:00)" in e
        and "plan 43 minutes" in e
        for e in _errors(course_copy)
    )


def test_the_course_s_teaching_must_add_up_to_its_hours(course_copy):
    _rewrite(course_copy, UNIT4, "    minutes: 45\n    changeover: 2", "    minutes: 43\n    changeover: 2")
    (error,) = _errors(course_copy)
    assert "schedule.teaching_hours: the units teach 358 minutes, 2 fewer than the 6 hours" in error
    _rewrite(course_copy, "kam/course.yaml", "teaching_hours: 6", "teaching_hours: 5.9666666667")
    assert load_courses(course_copy, KINDS)["kam"].timetable.teaching == 358


def test_a_break_is_not_teaching(course_copy):
    _rewrite(course_copy, "kam/units/3-analysing-customers.yaml", "    minutes: 60\n", "    minutes: 90\n")
    course = load_courses(course_copy, KINDS)["kam"]  # a longer lunch: the teaching is the same
    assert course.timetable.teaching == 360 and course.timetable.breaks == 120


def test_a_start_time_must_be_a_quoted_clock_time(course_copy):
    _rewrite(course_copy, "kam/course.yaml", 'starts: "09:00"', "starts: 10:30")  # YAML reads 630
    assert any("schedule.starts: Input should be a valid string" in e for e in _errors(course_copy))
    _rewrite(course_copy, "kam/course.yaml", "starts: 10:30", 'starts: "9:00"')
    assert any("schedule.starts: String should match pattern" in e for e in _errors(course_copy))


def test_a_bank_cannot_play_more_rounds_than_it_has(course_copy):
    _rewrite(course_copy, "kam/games/ladder.yaml", "rounds: 3 ", "rounds: 30 ")
    assert any(
        re.search(r"games/ladder.yaml:\d+: \(top\): rounds: 30, but the bank has 14 cases", e)
        for e in _errors(course_copy)
    )


def test_content_check_prints_the_day(course_copy, capsys):
    assert cli(["content", "check", str(course_copy)]) == 0
    out = capsys.readouterr().out
    assert "360 teaching minutes, 90 break minutes" in out and ", 09:00–17:" in out
    assert "    u3: teaching 86, breaks 60" in out

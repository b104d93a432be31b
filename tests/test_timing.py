"""The day's timetable adds up, for any course: teaching, breaks and changeovers, one activity
after the other."""

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.course import timing
from app.course.loader import ContentErrors, load_courses
from app.kinds import KINDS


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


def test_a_course_that_promises_its_hours_must_teach_them(course_copy):
    course_yaml = course_copy / "kam" / "course.yaml"
    text = course_yaml.read_text(encoding="utf-8")
    course_yaml.write_text(text.replace("schedule:", "schedule:\n  teaching_hours: 6", 1), encoding="utf-8")
    day = load_courses(course_copy, KINDS)["kam"].timetable
    assert day.teaching == 360
    course_yaml.write_text(text.replace("schedule:", "schedule:\n  teaching_hours: 5.5", 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    assert str(caught.value) == (
        "content/kam/course.yaml:12: schedule.teaching_hours: the units teach 360 minutes, 30 more than "
        f"the 5.5 hours (330 minutes) it promises (breaks are counted apart: {day.breaks} minutes)"
    )

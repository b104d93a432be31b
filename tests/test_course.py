"""The course content loads, adds up, and every mistake in it is reported by file and line."""

import re
import textwrap

import pytest

from app.cli import main as cli
from app.config import ROOT
from app.course.loader import ContentErrors, load_courses
from app.kinds import KINDS


def test_sample_course_is_the_whole_day():
    course = load_courses(ROOT / "content", KINDS)["kam"]
    assert [u.id for u in course.units] == ["u1", "u2", "u3", "u4"]
    assert course.timetable.teaching == 360  # the breaks come on top (tests/test_timing.py)
    assert all(KINDS.find(a.kind) for a in course.activities)
    assert len({a.id for a in course.activities}) == len(course.activities)


def test_every_text_has_both_languages():
    course = load_courses(ROOT / "content", KINDS)["kam"]
    for activity in course.activities:
        assert activity.title.get("zh-CN") != activity.title.get("en")
        if activity.kind == "brief":
            assert activity.config.body.get("en").strip()


def _write_unit(folder, body: str) -> None:
    (folder / "kam" / "units" / "1-success-factors.yaml").write_text(textwrap.dedent(body), encoding="utf-8")


def test_typo_in_a_field_names_file_line_and_field(course_copy):
    _write_unit(
        course_copy,
        """\
        id: u1
        title: {zh-CN: 单元, en: Unit}
        goal: {zh-CN: 目标, en: Goal}
        activities:
          - id: u1-a
            kind: brief
            title: {zh-CN: 标题, en: Title}
            minutes: 5
            bdy: {zh-CN: 正文, en: Body}
        """,
    )
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    messages = [str(e) for e in caught.value.errors]
    assert any("1-success-factors.yaml:9: activities[0].bdy: unknown field" in m for m in messages)
    assert any("activities[0].body: required field is missing" in m for m in messages)


def test_missing_translation_and_unknown_kind(course_copy):
    _write_unit(
        course_copy,
        """\
        id: u1
        title: {zh-CN: 单元}
        goal: {zh-CN: 目标, en: Goal}
        activities:
          - {id: u1-a, kind: pol, title: {zh-CN: 标题, en: Title}, minutes: 5}
        """,
    )
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    text = str(caught.value)
    assert "activities[0].kind: unknown kind 'pol'" in text


def test_broken_yaml_and_missing_unit_file(course_copy):
    _write_unit(course_copy, "id: u1\ntitle: [unclosed\n")
    (course_copy / "kam" / "units" / "4-changing-customers.yaml").unlink()
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    text = str(caught.value)
    assert "not valid YAML" in text
    assert "file not found: units/4-changing-customers.yaml" in text


def test_content_check_command(course_copy, capsys):
    assert cli(["content", "check", str(course_copy)]) == 0
    assert "360 teaching minutes" in capsys.readouterr().out
    _write_unit(course_copy, "id: u1\ntitle: {zh-CN: 单元, en: Unit}\ngoal: 1\nactivities: []\n")
    assert cli(["content", "check", str(course_copy)]) == 1
    err = capsys.readouterr().err
    assert "problem(s)" in err and "1-success-factors.yaml" in err


def test_the_preference_instrument_is_our_own_and_worded_positively():
    """No commercial instrument's name anywhere in the content; statements have no negations."""
    forbidden = re.compile(r"herrmann|hbdi|whole[ -]brain|全脑|象限|quadrant", re.I)
    for path in (ROOT / "content").rglob("*.yaml"):
        assert not forbidden.search(path.read_text(encoding="utf-8")), path
    course = load_courses(ROOT / "content", KINDS)["kam"]
    questionnaire = next(a for a in course.activities if a.kind == "preference")
    for statement in questionnaire.config.statements:
        assert not re.search(r"\b(not|never|no)\b|n't", statement.text.get("en"), re.I), statement.id
        assert not re.search(r"[不没别无]", statement.text.get("zh-CN")), statement.id


# What a compliance review of the content found, in the words it was found in (RDPAC / IFPMA as
# DOMAIN.md puts them): none of it may come back.
NOT_COMPLIANT = {
    "a speaker programme as a lever on the speaker": [
        "讲者活动适合已经常规使用",
        "已常规使用的外院",
        "speaker programmes suit doctors already in regular use",
        "already a regular user, talks",
    ],
    "a trial review over individual patients": [
        "试用病人的情况",
        "回顾病人用药后的结果",
        "这几位病人的疗效",
        "这两位病人的情况",
        "这些病人的复查情况",
        "review the trial patients",
        "reviewing his trial patients",
        "how those patients",
        "patients' results with him",
        "how the two patients are doing",
    ],
    "a call during patient care": [
        "候诊区",
        "走廊里叫住",
        "查房间隙",
        "门诊再忙",
        "waiting area is packed",
        "stops you in the corridor",
        "between ward rounds",
        "however busy the clinic",
    ],
    "the company writing the department's protocol, a liaison on a sales call": [
        "按这页要点常规使用",
        "following that page",
        "医学联络官陪访",
        "medical science liaison joins",
        "或医学同事协访",
        "a manager or medical colleague will join you",
    ],
    "marked-up material": [
        "用黄色标",
        "这一段我标出来了",
        "相关段落标好了",
        "highlighted them",
        "I've marked that section",
    ],
}


@pytest.mark.parametrize("rule", NOT_COMPLIANT)
def test_the_content_keeps_clear_of_what_the_compliance_review_found(rule):
    for path in (ROOT / "content").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").lower()
        assert not [p for p in NOT_COMPLIANT[rule] if p.lower() in text], (rule, path.name)

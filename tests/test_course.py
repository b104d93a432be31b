"""The course content loads, adds up, and every mistake in it is reported by file and line."""

import importlib.util
import re
import textwrap

import pytest
import yaml

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
    "a medical colleague at a rep's meeting, or the rep carrying the medical department's answers": [
        "医学部同事讲",
        "medical-affairs colleague presents",
        "安排医学部同事带来",
        "收到书面回复就给您送来",
        "bring you the written replies",
    ],
    "an identifiable patient in a call": ["李大爷", "Mr Li"],
    "a trial review over patients' records, in a quiz's right answer": [
        "一起看复查情况",
        "look together at follow-up results",
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


def _style_file(folder):
    return folder / "kam" / "styles.yaml"


@pytest.mark.parametrize(
    ("old", "new", "found"),
    [
        ('colour: "#6d28d9"', 'colour: "#2563eb"', "is blue"),  # data in the instrument's blue
        ('colour: "#0f766e"', 'colour: "#c2410c"', "is red"),  # people in its red-orange
        ('en: "Where is the evidence?"', 'en: "What?"', "tagline"),
        ('zh-CN: "会通向哪里？"', 'zh-CN: "为什么？"', "tagline"),
    ],
)
def test_the_content_check_refuses_the_commercial_instruments_colours_and_taglines(
    course_copy, old, new, found
):
    path = _style_file(course_copy)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    assert "styles.yaml" in str(caught.value) and found in str(caught.value)


@pytest.mark.parametrize(
    "distractor", ["他每月的处方量达到 50 盒", "He prescribes 50 packs a month", "份额达到 30%"]
)
def test_the_content_check_refuses_a_count_even_in_a_wrong_option(course_copy, distractor):
    path = course_copy / "kam" / "units" / "4-changing-customers.yaml"
    text = path.read_text(encoding="utf-8")
    right = "9 月 30 日前，让衡达宁成为他治疗 2 型糖尿病的首选药物"
    assert right in text
    path.write_text(text.replace(right, distractor, 1), encoding="utf-8")
    with pytest.raises(ContentErrors) as caught:
        load_courses(course_copy, KINDS)
    assert "4-changing-customers.yaml" in str(caught.value) and "no quota, even in a distractor" in str(
        caught.value
    )


def test_one_ladder_and_the_four_stages_mapped_onto_it():
    """Unit 3 teaches the territory's rungs, in order, and where each of the four stages falls on them."""
    course = load_courses(ROOT / "content", KINDS)["kam"]
    body = course.activity("u3-adoption-cycle").config.body
    for lang in ("zh-CN", "en"):
        text = body.get(lang)
        at = 0
        for rung in course.territory.ladder:  # each rung's name, after the one before
            found = re.compile(rf"(?<![A-Za-z]){re.escape(rung.name.get(lang))}(?![a-z])").search(text, at)
            assert found, (lang, rung.id)
            at = found.end()
    for stage in ("意识", "考虑", "决策", "反馈"):
        assert f"**{stage}** =" in body.get("zh-CN")
    eight_rungs = re.compile(r"评价 → 决定使用|evaluation → decides to use")
    for path in (ROOT / "content").rglob("*.yaml"):
        assert not eight_rungs.search(path.read_text(encoding="utf-8")), path


# One word for one thing (DOMAIN.md): the word that lost, and where it may not appear.
LOSING_WORDS = re.compile(
    r"关键信息|(?<!团)队长|完整度|阶梯提升|区域挑战|学习报告|首要|较少使用|# later: brief"
)
ENGLISH_VARIANTS = re.compile(r"\bDr\. |top-tier|tertiary A\b|Primary\b|Tertiary \(|medical affairs|统方")


def test_one_word_for_each_thing_in_the_content_and_the_catalogue():
    files = [*(ROOT / "content").rglob("*.yaml"), ROOT / "app" / "i18n" / "zh-CN.yaml"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not LOSING_WORDS.findall(text), path.name
    english = [(ROOT / "app" / "i18n" / "en.yaml").read_text(encoding="utf-8")]
    for path in (ROOT / "content").rglob("*.yaml"):
        english += re.findall(r"^\s*en: (.*)$", path.read_text(encoding="utf-8"), re.M)
    assert not [line for line in english if ENGLISH_VARIANTS.search(line)]


CODE = re.compile(
    r"(?<![A-Za-z])([A-Z]{1,2}) ?(?:医生|副主任医师|主治医师|主任|教授|药师)"  # 三甲医院 LM 主任
    r"|(?:Dr|Director|Professor) ([A-Z]{1,2})\b"  # Director LM
)
# Codes that follow one doctor on purpose from one place to the next: a case and its quiz, the plan's
# example and the unit that introduces it.
FOLLOWS = {
    "Q": {"cases/data-doctor.yaml", "u3-case-script", "u3-quiz"},
    "Y": {"cases/process-doctor.yaml", "u4-case-script", "u4-case-debrief"},
    "W": {"plan.yaml", "u4-plan-intro", "u4-quiz"},
}


def _owners() -> dict[str, set[str]]:
    """Each doctor code → the places it appears in: a unit's activity, a game's scene, a case, the plan."""
    owners: dict[str, set[str]] = {}
    folder = ROOT / "content" / "kam"
    for path in folder.rglob("*.yaml"):
        name = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8")
        split = name.startswith(("units/", "games/"))
        parts = re.split(r"(?m)^  - id: ", text)[1:] if split else [text]
        for part in parts:
            place = part.split("\n")[0].strip() if split else name
            for match in CODE.finditer(part):
                owners.setdefault(match.group(1) or match.group(2), set()).add(place)
    return owners


def test_no_letter_code_names_two_doctors():
    shared = {code: places for code, places in _owners().items() if len(places) > 1}
    assert {code: places for code, places in shared.items() if not places <= FOLLOWS.get(code, set())} == {}


def test_the_filming_brief_is_made_from_the_scripts_as_they_are():
    """docs/filming-brief.md: the shooting script, timecodes and notes in seconds of both cases."""
    spec = importlib.util.spec_from_file_location("filming_brief", ROOT / "scripts" / "filming_brief.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (ROOT / "docs" / "filming-brief.md").read_text(encoding="utf-8")
    assert text == module.brief(), "run python scripts/filming_brief.py"
    assert "演员知情同意书" in text and "Consent note for the actors" in text
    course = load_courses(ROOT / "content", KINDS)["kam"]
    for activity_id in module.CASES:
        script = course.activity(activity_id).config.script
        notes = sum(len(line.notes) for line in script.lines)
        block = text.split(f"`{activity_id}`")[1].split("```yaml")[1].split("```")[0]
        assert len(yaml.safe_load(block)["video"]["notes"]) == notes

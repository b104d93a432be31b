"""The sample course with activities added, for kinds and variants it does not have yet."""

import re
import shutil
import textwrap
from pathlib import Path

from app.config import ROOT, Settings


def sample_copy(folder: Path) -> Path:
    """A copy of the sample content (in folder/content) whose course no longer promises its
    hours of teaching: a test that adds an activity to it is about that activity, not the day."""
    content = folder / "content"
    shutil.copytree(ROOT / "content", content)
    course = content / "kam" / "course.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(re.sub(r"\n  teaching_hours: [^\n]*", "", text, count=1), encoding="utf-8")
    return content


def with_activity(settings: Settings, folder: Path, activity: str) -> Settings:
    """Settings whose content is a copy of the sample course with one more activity in unit 1."""
    content = sample_copy(folder)
    with (content / "kam" / "units" / "1-success-factors.yaml").open("a", encoding="utf-8") as unit:
        unit.write("\n" + textwrap.indent(activity, "  "))
    return settings.model_copy(update={"content_dir": content})


IDEAS = "u1-ideas"
UNIT = "kam/units/1-success-factors.yaml"
ACTIVITY = f"""
  - id: {IDEAS}
    kind: brainstorm
    title: {{zh-CN: "明天就能开始做的事", en: "What you could start tomorrow"}}
    minutes: 10
    prompt:
      zh-CN: 绩效先锋的哪个做法，你明天就能开始？
      en: Which habit of a top performer could you start tomorrow?
    max_ideas: 2
"""


def brainstorm_content(folder: Path) -> Path:
    """The sample course plus one brainstorm (the course has none yet)."""
    content = sample_copy(folder)
    with (content / UNIT).open("a", encoding="utf-8") as unit:
        unit.write(ACTIVITY)
    return content


SCALE = """\
- id: test-scale
  kind: scale
  title: {zh-CN: 自我评估, en: Self-assessment}
  minutes: 5
  labels:
    low: {zh-CN: 完全不同意, en: Strongly disagree}
    high: {zh-CN: 完全同意, en: Strongly agree}
  statements:
    - {id: plan, text: {zh-CN: 我为每位大客户都写了计划。, en: I have a written plan for every key account.}}
    - {id: listen, text: {zh-CN: 我先听客户说，再介绍产品。, en: I listen before I present.}}
"""


def every_kind_content(folder: Path) -> Path:
    """The sample course plus an activity of each kind it does not use (brainstorm, scale)."""
    content = brainstorm_content(folder)
    with (content / UNIT).open("a", encoding="utf-8") as unit:
        unit.write("\n" + textwrap.indent(SCALE, "  "))
    return content

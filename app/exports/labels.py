"""The words of a document in one language: catalogue strings, the course's names for ids
(styles, ladder rungs, activities, badges), and trainee text made safe for XML files."""

import re
from fractions import Fraction

from app.course.models import Course
from app.i18n import translate, translator
from app.live import teams
from app.plaintext import without_bidi

# XML 1.0 refuses these; a DOCX or XLSX holding one would not open.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
EMPTY = "—"


def printable(text: object) -> str:
    return without_bidi(NOT_XML.sub("", "" if text is None else str(text)))


class Labels:
    def __init__(self, course: Course, lang: str):
        self.course, self.lang = course, lang
        self.t = translator(lang)
        self.ladder = {s.id: s.name.get(lang) for s in course.territory.ladder} if course.territory else {}

    def style(self, style_id: str | None) -> str:
        style = self.course.style(style_id) if style_id else None
        return style.name.get(self.lang) if style else ""

    def stage(self, stage_id: str | None) -> str:
        return self.ladder.get(stage_id or "", stage_id or "")

    def move(self, objective) -> str:
        """A ladder objective's move, "试用 → 常规使用"; "" for an activity goal."""
        if objective.kind != "ladder" or not (objective.from_stage or objective.to_stage):
            return ""
        return f"{self.stage(objective.from_stage)} → {self.stage(objective.to_stage)}"

    def choice(self, group: str, value: str | None) -> str:
        """A fixed choice (influence "high", stance "sceptic"...) in words; "" when not chosen."""
        return self.t(f"export.{group}.{value}") if value else ""

    def listed(self, texts) -> str:
        return self.t("common.list_sep").join(t for t in texts if t)

    def problems(self, codes: list[str]) -> str:
        """An objective's SMART findings, or that it is SMART."""
        return self.listed(self.t(f"export.smart.{c}") for c in codes) if codes else self.t("export.smart.ok")

    def checks(self, ids: list[str]) -> str:
        """Completeness checks (app.plans.checks) in words."""
        return self.listed(self.t(f"export.check.{c}") for c in ids)

    def activity(self, activity_id: str) -> str:
        activity = self.course.activity(activity_id)
        return activity.title.get(self.lang) if activity else activity_id

    def reason(self, reason: str) -> str:
        """What points were for: the catalogue's words when it has them, else the code."""
        key = f"export.reason.{reason}"
        text = translate(self.lang, key)
        return reason if text == key else text

    def badge(self, badge_id: str) -> tuple[str, str]:
        """A badge's name and description (the id alone if the course no longer has it)."""
        badge = next((b for b in self.course.badges if b.id == badge_id), None)
        return (badge.name.get(self.lang), badge.description.get(self.lang)) if badge else (badge_id, "")

    def team(self, name: str | None) -> str:
        return teams.shown_name(name, self.lang) if name else self.t("export.no_team")

    def yes_no(self, value: bool) -> str:
        return self.t("export.yes") if value else self.t("export.no")


def number(value: Fraction | float | None, digits: int = 1) -> float | None:
    return None if value is None else round(float(value), digits)

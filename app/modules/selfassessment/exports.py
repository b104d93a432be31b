"""The self-assessment's part of a trainee's take-home report: their average per competency
beside the course's reference, and their strongest competencies."""

from typing import Any

from app.exports import bars, docxkit


def report(doc: Any, words: Any, config: Any, values: dict[str, float] | None, best: list) -> None:
    """`values`: the trainee's average per competency (None until all is rated); `best`: their
    strongest competencies."""
    t, lang = words.t, words.lang
    docxkit.heading(doc, t("export.assessment.title"), 1)
    if values is None:
        docxkit.paragraph(doc, t("export.assessment.unfinished"))
        return
    docxkit.paragraph(
        doc, t("export.assessment.strengths", names=words.listed(c.name.get(lang) for c in best))
    )
    low, span = config.scale.min, config.scale.max - config.scale.min
    rows = [
        [
            c.name.get(lang),
            f"{values[c.id]:.1f}",
            f"{config.reference[c.id]:.1f}",
            bars.bar((values[c.id] - low) / span, bars.BRAND, marker=(config.reference[c.id] - low) / span),
        ]
        for c in config.competencies
        if c.id in values
    ]
    headers = [
        t("export.assessment.competency"),
        t("export.assessment.mine"),
        config.reference_label.get(lang),
        t("export.profile.chart"),
    ]
    docxkit.table(doc, headers, rows, [5, 2.5, 2.5, 7])
    docxkit.paragraph(doc, t("export.assessment.chart_note"))

"""The plan workspace's content: what each section is for, and a hint and an example for each
field, in every language (content/<course>/plan.yaml). Field labels are interface words and live
in the catalogue; what good looks like is course content."""

from typing import Literal

from pydantic import Field, model_validator

from app.course.models import Strict, Text
from app.plans.body import SECTIONS

GUIDED = (
    "profile",
    "potential",
    "stage",
    "people",
    "needs",
    "swot",
    "objectives",
    "calls",
    "meetings",
    "materials",
    "speakers",
    "covisits",
    "resources_why",
    "messages",
    "measures",
    "reviews",
    "triggers",
)
SectionId = Literal["analysis", "objectives", "resources", "communication", "review"]


class FieldGuide(Strict):
    hint: Text  # what to write, in a sentence
    example: Text  # a strong answer for the sample territory's kind of customer


class PlanConfig(Strict):
    intro: Text
    sections: dict[SectionId, Text]  # what each section is for
    fields: dict[str, FieldGuide]
    complete_points: int = Field(default=20, ge=0, le=100)  # per complete, SMART plan (once)

    @model_validator(mode="after")
    def _every_section_and_field(self) -> "PlanConfig":
        if missing := [s for s in SECTIONS if s not in self.sections]:
            raise ValueError(f"sections: missing {', '.join(missing)}")
        if missing := [f for f in GUIDED if f not in self.fields]:
            raise ValueError(f"fields: missing {', '.join(missing)}")
        if unknown := [f for f in self.fields if f not in GUIDED]:
            raise ValueError(f"fields: unknown {', '.join(unknown)} (known: {', '.join(GUIDED)})")
        return self

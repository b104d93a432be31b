"""What a plan holds: the five sections of the course's plan (DOMAIN.md), every field bounded.
Unknown fields are refused, so a page from an older version cannot store something nobody shows."""

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Line = Annotated[str, StringConstraints(max_length=60, strip_whitespace=True)]
Short = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True)]
Long = Annotated[str, StringConstraints(max_length=1000, strip_whitespace=True)]
MAX_PEOPLE = 8
MAX_OBJECTIVES = 8
SECTIONS = ("analysis", "objectives", "resources", "communication", "review")


class Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Person(Part):
    """Someone in the account's decision-making unit, with the key message meant for them."""

    who: Line = ""  # a code or a role ("ZL 主任"), never a full name
    role: Line = ""  # what they decide or influence
    influence: Literal["", "high", "medium", "low"] = ""
    stance: Literal["", "supporter", "neutral", "sceptic"] = ""
    style: Literal["", "data", "process", "people", "vision"] = ""  # a hypothesis, not a label
    message: Long = ""  # 沟通策略: the key message shaped by that style


class Objective(Part):
    """A SMART objective: a move up the adoption ladder or a professional activity goal."""

    kind: Literal["ladder", "activity"] = "ladder"
    who: Line = ""
    from_stage: Line = ""  # rungs of the course's ladder (ladder moves)
    to_stage: Line = ""
    text: Short = ""  # what exactly
    measure: Short = ""  # how we will know
    due: Line = ""  # a date or a period ("2027-06-30", "第三季度末")


class PlanBody(Part):
    # 客户分析
    profile: Long = ""
    potential: Long = ""
    stage: Line = ""
    people: list[Person] = Field(default_factory=list, max_length=MAX_PEOPLE)
    needs: Long = ""
    strengths: Short = ""
    weaknesses: Short = ""
    opportunities: Short = ""
    threats: Short = ""
    # 目标设定
    objectives: list[Objective] = Field(default_factory=list, max_length=MAX_OBJECTIVES)
    # 资源配置
    calls: Short = ""
    meetings: Short = ""
    materials: Short = ""
    speakers: Short = ""
    covisits: Short = ""
    resources_why: Long = ""
    # 沟通策略 is each person's `message`
    # 评估与调整
    measures: Long = ""
    reviews: Short = ""
    triggers: Long = ""

"""Guidance while writing: the SMART check of each objective and the plan's completeness.

Pure functions over a PlanBody and the course's adoption ladder; each finding is a catalogue key
(`plan.smart.<problem>`, `plan.check.<item>`) so the page says what is missing in the trainee's
language. A personal quota is a compliance problem, not a style issue: DOMAIN.md's rules forbid
counting or targeting an individual doctor's prescriptions, and a doctor's patient numbers, volume
or share are the same quota in disguise."""

import re
from dataclasses import dataclass

from app.plans.body import Objective, PlanBody

# What turns an objective into a quota. DOMAIN.md: quotas in disguise are still quotas, so a
# doctor's patient numbers ("9 月前新增 20 位病人使用衡达宁"), volume (用量) and share (份额) count
# as much as prescriptions and sales. Legitimate objectives name patient *types* ("约定一类病人特征"),
# the label's 用法用量, department activities ("科室病人教育", "患者随访流程") and dates, and pass.
_ZH_NUMBER = r"(?:\d+|[一二两三四五六七八九十百千]+)"
_EN_NUMBER = (
    r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|forty|fifty|hundred|dozen)"
)
_QUOTAS = (
    # prescriptions, packs and sales
    r"处方(量|数|指标|目标)|\d+\s*张处方|开方量|统方|销量|销售额|销售指标",
    r"\d+\s*(盒|支|片|瓶|袋)",
    # patients counted: 20 个病人, 新增 20 位患者, 新增病人, 病人数 (not 患者数据), 30% 的病人
    rf"{_ZH_NUMBER}\s*(个|位|名|例)?\s*新?(病人|患者)",
    r"新增的?(病人|患者)|(病人|患者)(人数|数量|数(?!据))|\d+\s*[%％]\s*的?(病人|患者)",
    # volume and share: 用量 (not the label's 用法用量), 上量 (not 量表), 份额
    r"(?<!用法)用量(?!表)|用药量|采购量|进货量|进药量|上量(?!表)|放量",
    r"份额|占有率|(市场|处方|用药)占比",
    # the same in English
    r"prescriptions?\s*(target|quota|volume|count|number)|number of prescriptions",
    r"\d+\s*(prescriptions|scripts)|\bboxes\b|\bpacks\b|quota|sales (target|volume)|revenue",
    rf"\b{_EN_NUMBER}\s+((more|new|additional|extra)\s+)*patients\b",
    r"\b(number|count|numbers) of (new )?patients\b|\bpatient (count|number|volume)s?\b",
    r"(?<!outpatient )\bvolumes?\b|\b(usage|uptake|sales)\b[^.;,]{0,20}\d+\s*%",
    r"market share|\bshare of (the )?(market|prescriptions|prescribing|scripts|(new )?patients|use)\b",
    r"\d+\s*%\s*(market\s+)?share\b|\bshare\s+(of|to|above|reaches|reaching)\s+\d",
    r"\bshare (target|goal|growth)",
)
QUOTA = re.compile("|".join(_QUOTAS), re.IGNORECASE)
# A date or a period: a digit (2027-06-30, Q3, 3月) or a period word.
WHEN = re.compile(r"\d|季度|月|年|周|底|末|quarter|month|year|week|end of", re.IGNORECASE)
MAX_RUNGS_PER_OBJECTIVE = 2  # one rung a quarter is realistic; more in one objective is not


def smart_problems(objective: Objective, ladder: list[str]) -> list[str]:
    """What keeps one objective from being SMART and compliant, as problem codes."""
    problems = []
    if not objective.who or not objective.text:
        problems.append("specific")
    if objective.kind == "ladder":
        problems += _ladder_problems(objective, ladder)
    elif not objective.measure:
        problems.append("measure")
    if not WHEN.search(objective.due):
        problems.append("time")
    if QUOTA.search(f"{objective.text} {objective.measure}"):
        problems.append("quota")
    return problems


def _ladder_problems(objective: Objective, ladder: list[str]) -> list[str]:
    if objective.from_stage not in ladder or objective.to_stage not in ladder:
        return ["move"]
    rungs = ladder.index(objective.to_stage) - ladder.index(objective.from_stage)
    if rungs <= 0:
        return ["upward"]
    return ["achievable"] if rungs > MAX_RUNGS_PER_OBJECTIVE else []


@dataclass(frozen=True)
class Completeness:
    done: list[str]  # check ids met
    missing: list[str]  # check ids still to do, in the order of the plan
    sections: dict[str, bool]  # section id → every check of it met

    @property
    def percent(self) -> int:
        total = len(self.done) + len(self.missing)
        return round(100 * len(self.done) / total) if total else 0

    @property
    def sections_done(self) -> int:
        return sum(self.sections.values())


def completeness(body: PlanBody, ladder: list[str]) -> Completeness:
    checks = _checks(body, ladder)
    sections = {
        section: all(ok for (s, _), ok in checks.items() if s == section)
        for section in dict.fromkeys(s for s, _ in checks)
    }
    return Completeness(
        done=[item for (_, item), ok in checks.items() if ok],
        missing=[item for (_, item), ok in checks.items() if not ok],
        sections=sections,
    )


def _checks(body: PlanBody, ladder: list[str]) -> dict[tuple[str, str], bool]:
    people = [p for p in body.people if p.who]
    objectives = [o for o in body.objectives if o.text or o.who]
    swot = [body.strengths, body.weaknesses, body.opportunities, body.threats]
    return {
        ("analysis", "profile"): bool(body.profile),
        ("analysis", "potential"): bool(body.potential),
        ("analysis", "stage"): body.stage in ladder,
        ("analysis", "people"): bool(people)
        and all(p.role and p.influence and p.stance and p.style for p in people),
        ("analysis", "needs"): bool(body.needs),
        ("analysis", "swot"): sum(bool(x) for x in swot) >= 2,
        ("objectives", "objectives"): bool(objectives),
        ("objectives", "smart"): bool(objectives) and not any(smart_problems(o, ladder) for o in objectives),
        ("resources", "calls"): bool(body.calls),
        ("resources", "resources"): any((body.meetings, body.materials, body.speakers, body.covisits)),
        ("resources", "resources_why"): bool(body.resources_why),
        ("communication", "messages"): bool(people) and all(p.message for p in people),
        ("review", "measures"): bool(body.measures),
        ("review", "reviews"): bool(body.reviews),
        ("review", "triggers"): bool(body.triggers),
    }

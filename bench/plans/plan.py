"""What each simulated trainee types into their plan: a text that grows by an edit at a time.

Every edit adds a short phrase (with the edit's number, so no two texts are alike) to the
profile, and every third edit one to the needs; after 60 edits the body is about 2 KB of JSON.
One SMART objective (a move up the adoption ladder, no quota) is there from the first edit.
"""

FIELD_LIMIT = 950  # PlanBody's long fields hold 1000 characters: keep the newest text within
PROFILE = [
    "三甲内分泌科",
    "门诊量大",
    "主任重视证据",
    "担心低血糖",
    "两位医生试用",
    "每月科室会",
    "老年病人多",
    "随访完善",
]
NEEDS = ["真实世界数据", "病人教育", "医保报销", "联合用药"]
# filled one after another as the run goes on, so the control page's percent moves forward:
# each adds one check of the plan's completeness (the people and messages stay open, so the
# plan never becomes complete and never earns points)
STEPS = [
    ("potential", "内分泌门诊量大，2 型糖尿病病人多"),
    ("strengths", "证据充分，每日一次"),
    ("weaknesses", "价格偏高"),
    ("calls", "每月 6 次拜访"),
    ("meetings", "科室会 1 次"),
    ("resources_why", "资源集中在潜力最高的科室"),
    ("measures", "采纳阶梯阶段的变化"),
    ("reviews", "每月和经理回顾一次"),
    ("triggers", "两个季度停在同一阶段就调整策略"),
]


def text(start: dict, customer: str, edit: int, index: int, steps_every: int) -> dict:
    """The body the page holds after `edit` edits: the page's first body with the profile and
    the needs grown by phrases (each with its edit's number, so every edit differs), one SMART
    objective, and one more of STEPS every `steps_every` edits."""
    profile = "".join(f"{PROFILE[(index + n) % len(PROFILE)]}{n}；" for n in range(1, edit + 1))
    needs = "".join(f"{NEEDS[(index + n) % len(NEEDS)]}{n}；" for n in range(3, edit + 1, 3))
    body = {
        **start,
        "profile": profile[-FIELD_LIMIT:].lstrip("；"),
        "needs": needs[-FIELD_LIMIT:].lstrip("；"),
        "objectives": [
            {
                "kind": "ladder",
                "who": customer,
                "from_stage": "trial",
                "to_stage": "regular",
                "text": f"{customer} 第三季度末前从试用进到常规使用",
                "measure": "拜访中确认阶梯阶段",
                "due": "2027-06-30",
            }
        ],
    }
    for name, value in STEPS[: edit // steps_every]:
        body[name] = value
    return body

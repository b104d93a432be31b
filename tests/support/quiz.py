"""A three-question quiz added to unit 1, and the facilitator's and trainees' moves in it."""

import textwrap

QUIZ = textwrap.indent(
    textwrap.dedent("""\
      - id: test-quiz
        kind: quiz
        title: {zh-CN: 小测验, en: Little quiz}
        minutes: 5
        speed_bonus: 20
        questions:
          - id: q1
            prompt: {zh-CN: 哪个是标准？, en: "Which is a criterion?"}
            options:
              - {id: scale, text: {zh-CN: 采购规模, en: Purchase scale}}
              - {id: gifts, text: {zh-CN: 礼品, en: Gifts}}
            correct: [scale]
            explanation: {zh-CN: 规模是四项标准之一。, en: Scale is one of the four criteria.}
          - id: q2
            type: truefalse
            prompt: {zh-CN: 拜访越多越好。, en: More calls are always better.}
            answer: false
            explanation: {zh-CN: 超过最佳频率没有用。, en: Beyond the optimum they add nothing.}
          - id: q3
            type: order
            prompt: {zh-CN: 排序, en: Order}
            options:
              - {id: aware, text: {zh-CN: 意识, en: Awareness}}
              - {id: consider, text: {zh-CN: 考虑, en: Consideration}}
              - {id: decide, text: {zh-CN: 决策, en: Decision}}
            explanation: {zh-CN: 采纳周期的顺序。, en: The adoption cycle in order.}
    """),
    "  ",
)


def step(trainer, session_id, name, status=200):
    response = trainer.post(f"/control/{session_id}/kind/{name}", data={"activity": "test-quiz"})
    assert response.status_code == status, response.text
    return response.text


def answer(phone, code, question, *choice, status=200):
    response = phone.post(
        f"/play/{code}/act/answer",
        headers={"HX-Request": "true"},
        data={"activity": "test-quiz", "question": question, "choice": list(choice)},
    )
    assert response.status_code == status, response.text
    return response.text

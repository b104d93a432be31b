"""How Preference Detective scores a round: correctness first, a small bonus for speed.

A player earns STYLE_POINTS for the doctor's style and MESSAGE_POINTS for the message written
for it; on an honestly ambiguous scene the second style earns half. Only a player with something
right gets the speed bonus (at most SPEED_BONUS, shrinking to 0 at the deadline). A team's round
score is the mean over all its members, so size does not win and everyone's answer counts.
"""

from collections.abc import Iterable

from app.modules.detective.config import Scene

STYLE_POINTS = 10
MESSAGE_POINTS = 10
SPEED_BONUS = 2


def fit(scene: Scene, style: str | None) -> float:
    """1 for the best hypothesis, ½ for an ambiguous scene's second style, 0 otherwise."""
    if style is None:
        return 0.0
    return 1.0 if style == scene.style else 0.5 if style == scene.also else 0.0


def message_style(scene: Scene, message_id: str | None) -> str | None:
    return next((m.fits for m in scene.messages if m.id == message_id), None)


def player_points(scene: Scene, answer: dict, seconds: float) -> int:
    right = STYLE_POINTS * fit(scene, answer.get("style")) + MESSAGE_POINTS * fit(
        scene, message_style(scene, answer.get("message"))
    )
    if right <= 0:
        return 0
    share = max(0.0, 1.0 - float(answer.get("after", seconds)) / seconds) if seconds > 0 else 0.0
    return round(right + SPEED_BONUS * share)


def team_points(scene: Scene, answers: Iterable[dict], members: int, seconds: float) -> int:
    if members <= 0:
        return 0
    return round(sum(player_points(scene, a, seconds) for a in answers) / members)


def tally(scene: Scene, answers: Iterable[dict]) -> dict[str, dict[str, int]]:
    """How the room classified the doctor and which messages it chose."""
    styles: dict[str, int] = {}
    messages: dict[str, int] = {}
    for answer in answers:
        if style := answer.get("style"):
            styles[style] = styles.get(style, 0) + 1
        if message := answer.get("message"):
            messages[message] = messages.get(message, 0) + 1
    return {"styles": styles, "messages": messages}

"""Territory Challenge's settings: the quarters, each team's budget of resources per quarter, and
the market model's parameters (market.py explains what each one does).

A speaker programme serves its audience (RDPAC / IFPMA codes: a speaker is chosen for expertise and
the audience's need, never as a reward for, or a lever on, their own prescribing). So its resource
has an `audience` effect, on the other doctors who hear the talk, and no `effect` on the speaker;
the settings are refused otherwise."""

from typing import Annotated

from pydantic import Field, model_validator

from app.course.models import Strict, Text
from app.fields import Id

Share = Annotated[float, Field(ge=0, le=1)]


Effect = dict[Id, Annotated[float, Field(ge=0, le=2)]]  # ladder id → progress towards the next rung


class Resource(Strict):
    id: Id
    name: Text
    unit: Text  # what one unit is ("次拜访" / "calls")
    budget: int = Field(ge=1, le=500)  # per team per quarter
    # Progress from one unit for the customer it is spent on, by their current rung.
    effect: Effect = Field(default_factory=dict)
    # Progress from one unit for each doctor in its audience, by their own rung (speaker programmes).
    audience: Effect | None = None
    decay: Share = 0.8  # each further unit on the same customer in a quarter is worth this much of the last


class CallLimits(Strict):
    resource: Id = "calls"  # which resource is the calls
    useful: int = Field(ge=1, le=50)  # calls per customer per quarter beyond which more add nothing
    annoying: int = Field(ge=1, le=60)  # beyond this, every further call sets the customer back
    penalty: Annotated[float, Field(ge=0, le=2)]  # progress lost per call beyond `annoying`

    @model_validator(mode="after")
    def _ordered(self) -> "CallLimits":
        if self.annoying < self.useful:
            raise ValueError("annoying: at least `useful`")
        return self


class SpeakerRules(Strict):
    """A speaker programme: the slot is spent on the customer who gives the talk, chosen for
    expertise (the expert's 专业认可度 score); its effect falls on the audience, the territory's
    other customers, fully at the speaker's own hospital and in part at the others."""

    resource: Id = "speakers"  # which resource is the speaker programmes
    same_hospital: Share = 1.0  # of the audience effect for colleagues at the speaker's hospital
    elsewhere: Share = 0.3  # for the customers at the territory's other hospitals


class StyleFit(Strict):
    """How much of a resource's effect lands, by the message style the team chose for the
    customer against their thinking preference."""

    match: Share = 1.0
    neighbour: Share = 0.75  # a style next to theirs
    opposite: Share = 0.5  # the style facing theirs
    unchosen: Share = 0.7  # no style chosen: a generic message


class ChallengeConfig(Strict):
    intro: Text
    seconds: int = Field(default=240, ge=30, le=1800)
    quarters: int = Field(default=4, ge=1, le=8)
    resources: list[Resource] = Field(min_length=2, max_length=6)
    calls: CallLimits
    speakers: SpeakerRules = SpeakerRules()
    fit: StyleFit = StyleFit()
    potential_floor: Share = 0.4  # a customer of the lowest potential moves this fast as the highest
    step: float = Field(default=1.0, gt=0, le=10)  # progress that makes one rung
    carry_kept: Share = 0.5  # of the progress carried into the next quarter
    points_per_value: float = Field(default=2.0, ge=0, le=20)  # ledger points per unit of value gained
    max_per_customer: int = Field(default=20, ge=1, le=100)  # units of one resource on one customer
    debrief: Text

    @model_validator(mode="after")
    def _known(self) -> "ChallengeConfig":
        ids = [r.id for r in self.resources]
        if len(set(ids)) != len(ids):
            raise ValueError("resources: ids must be distinct")
        if self.calls.resource not in ids:
            raise ValueError(f"calls.resource: {self.calls.resource!r} is not one of the resources")
        speakers = self.resource(self.speakers.resource)
        if speakers is None:
            raise ValueError(f"speakers.resource: {self.speakers.resource!r} is not one of the resources")
        if any(speakers.effect.values()):
            raise ValueError(
                f"resources.{speakers.id}.effect: a speaker programme has no effect on the speaker "
                "(never a lever on their own prescribing); put its effect under `audience:`, "
                "on the doctors who listen"
            )
        if speakers.audience is None:
            raise ValueError(f"resources.{speakers.id}.audience: the effect on the audience, by their rung")
        if others := [r.id for r in self.resources if r.audience is not None and r is not speakers]:
            raise ValueError(f"resources.{others[0]}.audience: only the speaker programme has an audience")
        return self

    def resource(self, resource_id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

"""Territory Challenge's settings: the quarters, each team's budget of resources per quarter, and
the market model's parameters (market.py explains what each one does)."""

from typing import Annotated

from pydantic import Field, model_validator

from app.course.models import Strict, Text
from app.fields import Id

Share = Annotated[float, Field(ge=0, le=1)]


class Resource(Strict):
    id: Id
    name: Text
    unit: Text  # what one unit is ("次拜访" / "calls")
    budget: int = Field(ge=1, le=500)  # per team per quarter
    # Progress towards the next rung from one unit, by the customer's current rung (ladder ids).
    effect: dict[Id, Annotated[float, Field(ge=0, le=2)]]
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
        return self

    def resource(self, resource_id: str) -> Resource | None:
        return next((r for r in self.resources if r.id == resource_id), None)

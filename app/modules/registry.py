"""The registry of activity kinds. Adding a kind = one import and one line here."""

from app.modules.brainstorm import BrainstormKind
from app.modules.brief import BriefKind
from app.modules.case import CaseKind
from app.modules.challenge import ChallengeKind
from app.modules.contract import ActivityKind, Registry
from app.modules.customerread import CustomerReadKind
from app.modules.detective import DetectiveKind
from app.modules.keyaccount import KeyAccountKind
from app.modules.ladder import LadderKind
from app.modules.leaderboard import LeaderboardKind
from app.modules.myaccounts import MyAccountsKind
from app.modules.plan import PlanKind
from app.modules.planshow import PlanShowKind
from app.modules.poll import PollKind
from app.modules.preference import PreferenceKind
from app.modules.quiz import QuizKind
from app.modules.ranking import RankingKind
from app.modules.scale import ScaleKind
from app.modules.selfassessment import SelfAssessmentKind
from app.modules.wordcloud import WordcloudKind

_registry = Registry()
_registry.register(BriefKind())
_registry.register(LeaderboardKind())
_registry.register(PollKind())
_registry.register(WordcloudKind())
_registry.register(BrainstormKind())
_registry.register(ScaleKind())
_registry.register(RankingKind())
_registry.register(QuizKind())
_registry.register(SelfAssessmentKind())
_registry.register(PreferenceKind())
_registry.register(CustomerReadKind())
_registry.register(KeyAccountKind())
_registry.register(MyAccountsKind())
_registry.register(DetectiveKind())
_registry.register(LadderKind())
_registry.register(ChallengeKind())
_registry.register(PlanKind())
_registry.register(PlanShowKind())
_registry.register(CaseKind())


def find(name: str) -> ActivityKind | None:
    return _registry.kinds.get(name)


def get(name: str) -> ActivityKind:
    return _registry.kinds[name]


def names() -> list[str]:
    return sorted(_registry.kinds)


def base_facts():
    """The default `facts` hook: kinds that do not override it report nothing."""
    return ActivityKind.facts


def all_kinds() -> list[ActivityKind]:
    return list(_registry.kinds.values())

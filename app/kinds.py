"""The activity kinds this app runs, in one list. Only the entry points (`app.main`, `app.cli`)
import it; the core is given the table and never imports a kind."""

from app.modules.brainstorm import BrainstormKind
from app.modules.breaktime import BreakKind
from app.modules.brief import BriefKind
from app.modules.case import CaseKind
from app.modules.challenge import ChallengeKind
from app.modules.contract import Kinds
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

KINDS = Kinds(
    BriefKind(),
    LeaderboardKind(),
    PollKind(),
    WordcloudKind(),
    BrainstormKind(),
    ScaleKind(),
    RankingKind(),
    QuizKind(),
    SelfAssessmentKind(),
    PreferenceKind(),
    CustomerReadKind(),
    KeyAccountKind(),
    MyAccountsKind(),
    DetectiveKind(),
    LadderKind(),
    ChallengeKind(),
    PlanKind(),
    PlanShowKind(),
    CaseKind(),
    BreakKind(),
)

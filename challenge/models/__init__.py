"""SQLAlchemy models of the challenge; importing this package registers every table."""

from challenge.models.aggregate import CommuneSpanCount, CommuneWeekCount, EditionGeneration, TeamWeekCount
from challenge.models.audit import AuditEntry
from challenge.models.base import Base, utcnow
from challenge.models.catalogue import (
    Alternative,
    AlternativeArea,
    AlternativeReplacement,
    BigTechService,
    Category,
)
from challenge.models.console import CarryoverOffer, CouncilInvitation
from challenge.models.edition import (
    Checkin,
    ChosenAlternative,
    DeclaredService,
    Edition,
    EditionTerritory,
    Enrolment,
    Team,
    TeamGoal,
    TeamJoinRequest,
    TeamPledge,
    TerritoryOutline,
)
from challenge.models.engagement import FollowupAnswer, NotificationPreference, OutboxMessage
from challenge.models.help import HelpRequest, HelpRsvp, HelpSession, HelpSessionService
from challenge.models.members import HouseholdMember, MemberAnswer, MemberInvitation, MemberService
from challenge.models.people import (
    Account,
    AccountToken,
    FailedAttempt,
    Household,
    LoginFailure,
    LoginSession,
    OidcIdentity,
    RoleGrant,
)
from challenge.models.suggestion import Suggestion
from challenge.models.territory import Commune, Departement, Epci, Region

__all__ = [
    "Account",
    "AccountToken",
    "Alternative",
    "AlternativeArea",
    "AlternativeReplacement",
    "AuditEntry",
    "Base",
    "BigTechService",
    "CarryoverOffer",
    "Category",
    "Checkin",
    "ChosenAlternative",
    "Commune",
    "CommuneSpanCount",
    "CommuneWeekCount",
    "CouncilInvitation",
    "DeclaredService",
    "Departement",
    "Edition",
    "EditionGeneration",
    "EditionTerritory",
    "Enrolment",
    "Epci",
    "FailedAttempt",
    "FollowupAnswer",
    "HelpRequest",
    "HelpRsvp",
    "HelpSession",
    "HelpSessionService",
    "Household",
    "HouseholdMember",
    "LoginFailure",
    "LoginSession",
    "MemberAnswer",
    "MemberInvitation",
    "MemberService",
    "NotificationPreference",
    "OidcIdentity",
    "OutboxMessage",
    "Region",
    "RoleGrant",
    "Suggestion",
    "Team",
    "TeamGoal",
    "TeamJoinRequest",
    "TeamPledge",
    "TeamWeekCount",
    "TerritoryOutline",
    "utcnow",
]

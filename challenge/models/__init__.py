"""SQLAlchemy models of the challenge; importing this package registers every table."""

from challenge.models.audit import AuditEntry
from challenge.models.base import Base, utcnow
from challenge.models.catalog import (
    Alternative,
    AlternativeArea,
    AlternativeReplacement,
    BigTechService,
    Category,
)
from challenge.models.edition import (
    Checkin,
    ChosenAlternative,
    DeclaredService,
    Edition,
    EditionTerritory,
    Enrolment,
    Team,
    TeamGoal,
    TerritoryOutline,
)
from challenge.models.people import (
    Account,
    Household,
    LoginFailure,
    LoginSession,
    OidcIdentity,
    RoleGrant,
)
from challenge.models.territory import Commune, Departement, Epci, Region

__all__ = [
    "Account",
    "Alternative",
    "AlternativeArea",
    "AlternativeReplacement",
    "AuditEntry",
    "Base",
    "BigTechService",
    "Category",
    "Checkin",
    "ChosenAlternative",
    "Commune",
    "DeclaredService",
    "Departement",
    "Edition",
    "EditionTerritory",
    "Enrolment",
    "Epci",
    "Household",
    "LoginFailure",
    "LoginSession",
    "OidcIdentity",
    "Region",
    "RoleGrant",
    "Team",
    "TeamGoal",
    "TerritoryOutline",
    "utcnow",
]

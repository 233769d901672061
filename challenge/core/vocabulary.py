"""The words the app stores, as types: a typo in a status or a level is a type error, not a bug.

Each enum's values are what the database holds (the tables check them, migration 0010). Members
are `str`, so they compare equal to the stored text and serialise as it.
"""

from __future__ import annotations

from enum import StrEnum


class EditionStatus(StrEnum):
    """draft → open for sign-up → running → closed."""

    DRAFT = "draft"
    OPEN = "open"
    RUNNING = "running"
    CLOSED = "closed"


# An edition households can see and join: open for sign-up, or running.
LIVE_STATUSES = (EditionStatus.OPEN, EditionStatus.RUNNING)


class Level(StrEnum):
    """Levels of the territory referential, smallest first."""

    COMMUNE = "commune"
    EPCI = "epci"
    DEPARTEMENT = "departement"
    REGION = "region"


class Role(StrEnum):
    """Roles an account may be granted (households need none)."""

    ORGANISER = "organiser"
    COUNCIL = "council"
    CAPTAIN = "captain"


class CheckinStatus(StrEnum):
    """How one declared service went in a week."""

    SWITCHED = "switched"
    MOSTLY = "mostly"
    TRIED = "tried"
    STILL = "still"
    DROPPED = "dropped"


class SuggestionStatus(StrEnum):
    """A household's suggestion of an alternative, as the organisers decided."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Quantity(StrEnum):
    """Quantities a household may report for some categories."""

    KM = "km"
    EUROS = "euros"
    OBJECTS = "objects"


class CommuneMeasure(StrEnum):
    """What a row of the commune × week counts (see models.aggregate.CommuneWeekCount)."""

    REGISTERED = "registered"
    ACTIVE = "active"
    SWITCHED = "switched"
    CATEGORY = "category"
    SERVICE = "service"
    ALTERNATIVE = "alternative"


class SpanMeasure(StrEnum):
    """What a row of the commune × span of weeks counts (models.aggregate.CommuneSpanCount)."""

    ACTIVE = "active"
    KM = "km"
    EUROS = "euros"
    OBJECTS = "objects"


class TeamMeasure(StrEnum):
    """What a row of the team × week counts (models.aggregate.TeamWeekCount)."""

    MEMBERS = "members"
    CHECKED = "checked"
    SCORE = "score"
    CATEGORY = "category"
    CHOSE = "chose"
    CHOSE_SWITCHED = "chose_switched"
    DECLARED = "declared"
    SERVICE_SWITCHED = "service_switched"


class HelpKind(StrEnum):
    """What kind of local help session (help_session.kind)."""

    REPAIR_CAFE = "repair_cafe"
    EPN = "epn"  # espace public numérique
    INSTALL_PARTY = "install_party"  # e.g. a CHATONS member's
    PERMANENCE = "permanence"  # an association's drop-in hours


class HelpResponder(StrEnum):
    """Who answered a help request (help_request.replied_as), as the household is told."""

    CAPTAIN = "captain"  # a captain of the household's own collective
    VOLUNTEER = "volunteer"  # a captain of another collective of the household's territory
    ORGANISER = "organiser"


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of an enum, e.g. for a CHECK constraint or a form's choices."""
    return tuple(member.value for member in enum)

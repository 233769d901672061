"""The durable switch rate: the share of switches still in place 3 and 6 months after an edition.

Computed from the follow-up answers (challenge.followups) of households that kept their consent,
for a territory, under statistical secrecy: the count of responding households is protected over
the whole territory tree at once (so that a territory and its parts cannot be subtracted), and the
rates are published only when that count is, and when no household holds more than the
dominance share of the answers.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.vocabulary import EditionStatus
from challenge.editions.calendar import FOLLOWUP_MONTHS, EditionView
from challenge.models import Edition, FollowupAnswer, Household
from challenge.statistics.secrecy import SECRET, Node, Rules, protect_tree
from challenge.territories.tree import TerritoryTree


@dataclass(frozen=True)
class Durability:
    """One follow-up (3 or 6 months) in one territory; None is a secret cell."""

    months: int
    households: int | None
    switches: int | None
    still: float | None  # % of the answered switches still in place ("yes")
    partly: float | None  # % partly in place

    @property
    def is_published(self) -> bool:
        return self.still is not None


def latest_closed_edition(session: Session) -> EditionView | None:
    edition = session.scalar(
        select(Edition).where(Edition.status == EditionStatus.CLOSED).order_by(Edition.start_date.desc())
    )
    return EditionView.of(edition) if edition else None


def _answers(session: Session, edition_id: int, months: int) -> list[tuple[int, str, str]]:
    """(household, commune, answer) of every answered switch, consent kept."""
    rows = session.execute(
        select(FollowupAnswer.household_id, Household.commune_code, FollowupAnswer.answer)
        .join(Household, Household.id == FollowupAnswer.household_id)
        .where(
            FollowupAnswer.edition_id == edition_id,
            FollowupAnswer.months == months,
            Household.consent_withdrawn_at.is_(None),
        )
    )
    return [(household, commune, answer) for household, commune, answer in rows]


def protected_households(
    tree: TerritoryTree, households_by_commune: Counter[str], rules: Rules
) -> dict[str, int | None]:
    """Responding households of every territory, protected as one additive tree."""
    nodes = {
        key: Node(key, sum(households_by_commune[c] for c in tree.communes_of[key]), territory.children)
        for key, territory in tree.nodes.items()
    }
    return protect_tree(nodes, rules)


def rates(answers: list[tuple[int, str]], rules: Rules) -> tuple[float | None, float | None]:
    """(% yes, % partly) of (household, answer) pairs, secret when one household dominates."""
    if not answers:
        return SECRET, SECRET
    per_household = Counter(household for household, _ in answers)
    if max(per_household.values()) > rules.dominance * len(answers):
        return SECRET, SECRET
    counts = Counter(answer for _, answer in answers)
    return round(100 * counts["yes"] / len(answers), 1), round(100 * counts["partly"] / len(answers), 1)


def durability(
    session: Session, tree: TerritoryTree, edition: EditionView, key: str, rules: Rules
) -> list[Durability]:
    """The durable switch rate of territory `key` at each follow-up of the edition."""
    inside = set(tree.communes_of[key])
    result = []
    for months in FOLLOWUP_MONTHS:
        answers = _answers(session, edition.id, months)
        by_commune = Counter(commune for _, commune in {(h, c) for h, c, _ in answers})
        households = protected_households(tree, by_commune, rules)[key]
        local = [(household, answer) for household, commune, answer in answers if commune in inside]
        if households is None:
            result.append(Durability(months, SECRET, SECRET, SECRET, SECRET))
            continue
        still, partly = rates(local, rules)
        result.append(
            Durability(months, households, len(local) if still is not None else SECRET, still, partly)
        )
    return result

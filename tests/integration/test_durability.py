"""The durable switch rate per territory, under statistical secrecy."""

from __future__ import annotations

from datetime import date

from challenge.editions.calendar import EditionView
from challenge.households.followups import add_months, record_followup
from challenge.infra.db import Database
from challenge.statistics.durability import durability, latest_closed_edition, rates
from challenge.statistics.secrecy import Rules
from challenge.territories.tree import build_tree
from tests.conftest import AMIENS, Member, make_member
from tests.integration.engagement_helpers import close_edition, switch_services


def _answered_edition(db: Database, edition: EditionView, member: Member) -> date:
    """Two households of Lille and one of Amiens switched Gmail and answered at 3 months."""
    lille = make_member(db, "lille@exemple.fr", name="Lille 2")
    amiens = make_member(db, "amiens@exemple.fr", commune=AMIENS, name="Amiens")
    for who in (member, lille, amiens):
        switch_services(db, edition, who, {"gmail": "switched"})
    close_edition(db, edition.id)
    today = add_months(edition.end_date, 3)
    for who, answer in ((member, "yes"), (lille, "no"), (amiens, "yes")):
        record_followup(db, who.household_id, edition.id, 3, {"gmail": answer}, today)
    return today


def test_durable_rate_is_published_where_enough_households_answered(
    db: Database, edition: EditionView, member: Member
) -> None:
    _answered_edition(db, edition, member)
    rules = Rules(threshold=2)
    with db.read() as session:
        tree = build_tree(session)
        closed = latest_closed_edition(session)
        assert closed is not None
        assert closed.id == edition.id
        region = durability(session, tree, closed, "region:32", rules)
        lille = durability(session, tree, closed, "commune:59350", rules)
        amiens = durability(session, tree, closed, f"commune:{AMIENS}", rules)
    three, six = region
    assert (three.months, three.households, three.switches, three.still, three.partly) == (3, 3, 3, 66.7, 0.0)
    assert six.months == 6
    assert not six.is_published
    assert (lille[0].households, lille[0].still) == (2, 50.0)
    assert amiens[0].households is None
    assert not amiens[0].is_published


def test_durable_rate_is_secret_below_the_threshold(
    db: Database, edition: EditionView, member: Member
) -> None:
    _answered_edition(db, edition, member)
    with db.read() as session:
        closed = latest_closed_edition(session)
        assert closed is not None
        rows = durability(session, build_tree(session), closed, "region:32", Rules())
    assert not any(row.is_published for row in rows)
    assert all(row.households is None and row.switches is None for row in rows)


def test_rates_are_secret_when_one_household_holds_most_answers() -> None:
    answers = [(1, "yes")] * 9 + [(2, "no")]
    assert rates(answers, Rules(threshold=2)) == (None, None)
    assert rates([(1, "yes"), (2, "partly"), (3, "no"), (4, "yes")], Rules(threshold=2)) == (50.0, 25.0)

"""Retiring and reinstating catalogue entries, and keeping alternatives checked.

Retiring never deletes: households who chose a retired alternative keep their history and are
invited to pick another (see challenge.retired_choices). A category or a service stays in the
catalogue while something active depends on it, so an export is always a valid catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.sessions import Identity
from challenge.catalogue.snapshot import Entry, EntryKind, Snapshot, from_database
from challenge.catalogue.write import write_alternative, write_category, write_service
from challenge.core.errors import NotFound, ValidationError
from challenge.core.i18n import _
from challenge.infra.db import Database

STALE_AFTER_MONTHS = 12


def _dependants(snapshot: Snapshot, kind: EntryKind, slug: str) -> list[str]:
    """Names of the active entries that would be left pointing at a retired `slug`."""
    if kind == "category":
        return [e["name"] for _s, e in snapshot.active("service") if e["category"] == slug]
    if kind == "service":
        return [e["name"] for _s, e in snapshot.active("alternative") if slug in e["replaces"]]
    return []


def _missing_parents(snapshot: Snapshot, kind: EntryKind, entry: Entry) -> list[str]:
    """Retired entries an entry to reinstate depends on."""
    active_categories = {s for s, _e in snapshot.active("category")}
    active_services = {s for s, _e in snapshot.active("service")}
    if kind == "service":
        return [] if entry["category"] in active_categories else [entry["category"]]
    if kind == "alternative":
        return [s for s in entry["replaces"] if s not in active_services]
    return []


def _write(session: Session, kind: EntryKind, slug: str, entry: Entry) -> None:
    if kind == "category":
        write_category(session, slug, entry)
    elif kind == "service":
        write_service(session, slug, entry)
    else:
        write_alternative(session, slug, entry)


def set_retired(db: Database, actor: Identity, kind: EntryKind, slug: str, retired: bool) -> None:
    """Retire an entry (or put it back in the catalogue), refusing what would break another one."""

    def work(session: Session) -> None:
        snapshot = from_database(session)
        before = snapshot.of(kind).get(slug)
        if before is None:
            raise NotFound(_("Cette entrée n'existe pas ou plus ; rechargez la page."))
        if before["retired"] == retired:
            return  # already done: a second click changes nothing
        if retired and (names := _dependants(snapshot, kind, slug)):
            raise ValidationError(
                _("Impossible de la retirer : retirez ou modifiez d'abord {names}.").format(
                    names=", ".join(sorted(names)[:10])
                )
            )
        if not retired and (parents := _missing_parents(snapshot, kind, before)):
            raise ValidationError(
                _("Remettez d'abord au catalogue : {slugs}.").format(slugs=", ".join(parents))
            )
        after = {**before, "retired": retired}
        if "rank" in before:
            after["rank"] = None if retired else len(snapshot.active(kind))
        _write(session, kind, slug, after)
        action = "catalogue.retire" if retired else "catalogue.reinstate"
        audit.record(session, actor, action, kind, slug, before=before, after=after)

    db.run_write(work)


def mark_checked(db: Database, actor: Identity, slug: str, today: date) -> None:
    """Record that an organiser checked this alternative today (its sources still hold)."""

    def work(session: Session) -> None:
        before = from_database(session).alternative.get(slug)
        if before is None:
            raise NotFound(_("Cette alternative n'existe pas ou plus ; rechargez la page."))
        if before["last_checked"] == today:
            return
        after = {**before, "last_checked": today}
        write_alternative(session, slug, after)
        audit.record(session, actor, "catalogue.check", "alternative", slug, before=before, after=after)

    db.run_write(work)


def months_ago(today: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when it is shorter)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class StaleAlternative:
    slug: str
    name: str
    last_checked: date


def stale_alternatives(session: Session, today: date) -> list[StaleAlternative]:
    """Active alternatives not checked for more than 12 months, oldest first."""
    limit = months_ago(today, STALE_AFTER_MONTHS)
    stale = [
        StaleAlternative(slug, entry["name"], entry["last_checked"])
        for slug, entry in from_database(session).active("alternative")
        if entry["last_checked"] < limit
    ]
    return sorted(stale, key=lambda s: (s.last_checked, s.name))

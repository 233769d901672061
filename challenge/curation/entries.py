"""Catalogue curation from the console: create, edit, retire, reinstate and re-check entries.

Every change is one transaction that also records its audit entry (before/after); a form with a
problem writes nothing. Entries are retired, never deleted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from challenge.accounts import audit
from challenge.accounts.sessions import Identity
from challenge.catalogue.files import QUANTITIES
from challenge.catalogue.snapshot import Entry, EntryKind, Snapshot, from_database
from challenge.catalogue.validation import (
    COSTS,
    EFFORTS,
    ETHICS,
    KINDS,
    Problems,
    check_date,
    parse_sources,
    slugify,
    sources_text,
    territory_availability,
    territory_text,
)
from challenge.catalogue.write import write_alternative, write_category, write_service
from challenge.core.errors import NotFound
from challenge.core.i18n import _
from challenge.counts import upkeep
from challenge.curation import suggestions
from challenge.curation.suggestions import mark_accepted
from challenge.infra.db import Database


@dataclass(frozen=True)
class AlternativeForm:
    """What the alternative form holds; `territories` empty means available everywhere."""

    slug: str
    name: str
    url: str
    description: str
    kind: str
    ethics: list[str]
    effort: str
    cost: str
    replaces: list[str]
    territories: str
    sources: str
    last_checked: date


def form_of(slug: str, entry: Entry) -> AlternativeForm:
    """The form pre-filled with an existing alternative."""
    return AlternativeForm(
        slug,
        entry["name"],
        entry["url"],
        entry["description"],
        entry["kind"],
        list(entry["ethics"]),
        entry["effort"],
        entry["cost"],
        list(entry["replaces"]),
        territory_text(entry["availability"]),
        sources_text(entry["sources"]),
        entry["last_checked"],
    )


def _existing(snapshot: Snapshot, kind: EntryKind, slug: str, creating: bool, problems: Problems) -> None:
    exists = slug in snapshot.of(kind)
    if creating and exists:
        problems.add(
            _("L'identifiant « {slug} » est déjà pris (peut-être par une entrée retirée).").format(slug=slug)
        )
    if not creating and not exists:
        raise NotFound(_("Cette entrée n'existe pas ou plus ; rechargez la page."))


def _active_slugs(snapshot: Snapshot, kind: EntryKind) -> set[str]:
    return {slug for slug, _entry in snapshot.active(kind)}


def _alternative_entry(session: Session, snapshot: Snapshot, form: AlternativeForm, today: date) -> Entry:
    problems = Problems()
    services = _active_slugs(snapshot, "service")
    replaces = problems.subset(form.replaces, services, _("Remplace"))
    if not replaces:
        problems.add(_("Choisissez au moins un service GAFAM que cette alternative remplace."))
    entry = {
        "name": problems.text(form.name, _("Nom")),
        "url": problems.url(form.url, _("Site web")),
        "description": problems.text(form.description, _("Description"), max_length=300),
        "kind": problems.choice(form.kind, KINDS, _("Statut")),
        "ethics": problems.subset(form.ethics, ETHICS, _("Engagements")),
        "effort": problems.choice(form.effort, EFFORTS, _("Effort")),
        "cost": problems.choice(form.cost, COSTS, _("Coût")),
        "replaces": sorted(replaces),
        "availability": territory_availability(session, form.territories, problems),
        "sources": parse_sources(form.sources, problems),
        "last_checked": check_date(form.last_checked, today, problems),
        "retired": False,
    }
    problems.raise_if_any()
    return entry


def save_alternative(
    db: Database,
    actor: Identity,
    form: AlternativeForm,
    *,
    creating: bool,
    today: date,
    suggestion_id: int | None = None,
) -> None:
    """Create or edit an alternative; from a suggestion, the suggestion is accepted with it."""

    def work(session: Session) -> None:
        snapshot = from_database(session)
        problems = Problems()
        slug = problems.slug(form.slug)
        problems.raise_if_any()
        entry = _alternative_entry(session, snapshot, form, today)
        before = snapshot.alternative.get(slug)
        if before is not None:
            entry["retired"] = before["retired"]
        if before == entry and suggestion_id is None:
            return  # the same form sent twice (a double tap, a retry): nothing more to do
        _existing(snapshot, "alternative", slug, creating, problems)
        problems.raise_if_any()
        write_alternative(session, slug, entry)
        action = "catalogue.create" if creating else "catalogue.update"
        audit.record(session, actor, action, "alternative", slug, before=before, after=entry)
        if suggestion_id is not None:
            mark_accepted(session, actor, suggestion_id, slug)

    db.run_write(work)


def save_category(
    db: Database,
    actor: Identity,
    slug: str,
    name: str,
    name_en: str,
    quantities: list[str],
    *,
    creating: bool,
) -> None:
    """Create or edit a category (new ones go to the end of the list)."""

    def work(session: Session) -> None:
        snapshot, problems = from_database(session), Problems()
        slug_ = problems.slug(slug)
        _existing(snapshot, "category", slug_, creating, problems)
        before = snapshot.category.get(slug_)
        entry = {
            "name": problems.text(name, _("Nom")),
            "name_en": problems.text(name_en, _("Nom en anglais")),
            "quantities": sorted(problems.subset(quantities, QUANTITIES, _("Quantités"))),
            "rank": before["rank"] if before else len(_active_slugs(snapshot, "category")),
            "retired": before["retired"] if before else False,
        }
        problems.raise_if_any()
        write_category(session, slug_, entry, None)
        action = "catalogue.create" if creating else "catalogue.update"
        audit.record(session, actor, action, "category", slug_, before=before, after=entry)

    db.run_write(work)


def save_service(
    db: Database, actor: Identity, slug: str, name: str, company: str, category: str, *, creating: bool
) -> None:
    """Create or edit a Big Tech service, in an active category."""

    def work(session: Session) -> None:
        snapshot, problems = from_database(session), Problems()
        slug_ = problems.slug(slug)
        _existing(snapshot, "service", slug_, creating, problems)
        if category not in _active_slugs(snapshot, "category"):
            problems.add(_("Catégorie inconnue ou retirée : choisissez-en une dans la liste."))
        before = snapshot.service.get(slug_)
        entry = {
            "name": problems.text(name, _("Nom")),
            "company": problems.text(company, _("Entreprise")),
            "category": category,
            "rank": before["rank"] if before else len(_active_slugs(snapshot, "service")),
            "retired": before["retired"] if before else False,
        }
        problems.raise_if_any()
        with upkeep.following_categories(session):
            write_service(session, slug_, entry, None)
        action = "catalogue.create" if creating else "catalogue.update"
        audit.record(session, actor, action, "service", slug_, before=before, after=entry)

    db.run_write(work)


def blank_form(today: date) -> AlternativeForm:
    """The form of a new alternative: nothing typed yet, checked today."""
    return AlternativeForm("", "", "", "", "", [], "easy", "free", [], "", "", today)


def suggestion_form(session: Session, suggestion_id: int, today: date) -> AlternativeForm:
    """The alternative form pre-filled from a household's suggestion, for the organiser to complete."""
    suggestion = suggestions.get(session, suggestion_id)
    return AlternativeForm(
        slug=slugify(suggestion.name),
        name=suggestion.name,
        url=suggestion.url,
        description="",
        kind="",
        ethics=[],
        effort="easy",
        cost="free",
        replaces=[suggestion.service_slug],
        territories=(
            ""
            if suggestion.territory_level == "national"
            else f"{suggestion.territory_level}:{suggestion.territory_code}"
        ),
        sources=f"{suggestion.url} officiel",  # the platform's own site, for the organiser to check
        last_checked=today,
    )

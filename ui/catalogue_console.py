"""Console pieces for the catalogue: the alternative form and an entry's card."""

from __future__ import annotations

from datetime import date

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.catalogue.files import AREA_LEVELS, COSTS, EFFORTS, ETHICS, KINDS
from challenge.catalogue.snapshot import Entry, EntryKind, Snapshot
from challenge.core import labels
from challenge.core.i18n import _
from challenge.curation.entries import AlternativeForm
from challenge.curation.lifecycle import set_retired
from challenge.infra.db import Database
from ui.actions import attempt
from ui.console import territory_choices
from ui.format import day, plain

TARGET_KEY = "console_alternative_target"  # the slug to edit, set before switching to the form page
SUGGESTION_KEY = "console_alternative_suggestion"  # the suggestion to accept, likewise


def _territory_keys(typed: str) -> list[str]:
    """The form's "level:code" tokens that the territory multiselect offers."""
    choices = territory_choices(with_region=True)
    return [token for token in typed.split() if token in choices]


def alternative_fields(form: AlternativeForm, services: dict[str, str], creating: bool) -> AlternativeForm:
    """The alternative form's widgets, pre-filled with `form`; returns what is typed."""
    name = st.text_input(_("Nom"), form.name, key="console_alternative_name")
    slug = st.text_input(
        _("Identifiant"), form.slug, key="console_alternative_slug", disabled=not creating,
    )  # fmt: skip
    st.caption(_("Lettres minuscules sans accent, chiffres et tirets ; il ne change plus ensuite."))
    url = st.text_input(_("Site web"), form.url, key="console_alternative_url")
    description = st.text_area(_("Description"), form.description, key="console_alternative_description")
    kind = st.selectbox(
        _("Statut"), KINDS, index=KINDS.index(form.kind) if form.kind in KINDS else None,
        key="console_alternative_kind", format_func=lambda k: str(labels.KIND[k]),
    )  # fmt: skip
    ethics = st.multiselect(
        _("Engagements"), ETHICS, [e for e in form.ethics if e in ETHICS], key="console_alternative_ethics",
        format_func=lambda e: str(labels.ETHICS[e]),
    )  # fmt: skip
    effort = st.selectbox(_("Effort"), EFFORTS, EFFORTS.index(form.effort), key="console_alternative_effort",
                          format_func=lambda e: str(labels.EFFORT[e]))  # fmt: skip
    cost = st.selectbox(_("Coût"), COSTS, COSTS.index(form.cost), key="console_alternative_cost",
                        format_func=lambda c: str(labels.COST[c]))  # fmt: skip
    replaces = st.multiselect(
        _("Remplace"), list(services), [s for s in form.replaces if s in services],
        key="console_alternative_replaces", format_func=services.__getitem__,
    )  # fmt: skip
    choices = territory_choices(with_region=True)
    territories = st.multiselect(
        _("Disponible seulement dans (vide : partout)"), list(choices), _territory_keys(form.territories),
        key="console_alternative_territories", format_func=choices.__getitem__,
        placeholder=_("Communes, EPCI, départements ou région"),
    )  # fmt: skip
    sources = st.text_area(
        _("Sources (une par ligne : adresse, type — officiel, réseau, public, statuts, presse — et note)"),
        form.sources,
        key="console_alternative_sources",
    )
    checked = st.date_input(
        _("Vérifiée le"), form.last_checked, key="console_alternative_checked", format="DD/MM/YYYY"
    )
    return AlternativeForm(
        slug, name, url, description, kind or "", ethics, effort, cost, replaces,
        " ".join(territories), sources,
        checked if isinstance(checked, date) else form.last_checked,
    )  # fmt: skip


def availability_text(availability: object) -> str:
    """Where an alternative is offered, as a person reads it: territory names, not codes."""
    if availability == "national" or not isinstance(availability, dict):
        return _("partout")
    names = territory_choices(with_region=True)
    levels = {key: level for key, (level, _pattern) in AREA_LEVELS.items()}
    where = [f"{levels[key]}:{code}" for key, codes in availability.items() for code in codes]
    return ", ".join(names.get(key, key).split(" · ")[0] for key in where)


def alternative_card(slug: str, entry: Entry, service_names: dict[str, str]) -> None:
    """Name, state, what it replaces and where (names), sources and the date it was last checked."""
    retired = " · :gray-badge[{}]".format(_("Retirée")) if entry["retired"] else ""
    st.markdown(f"**{plain(entry['name'])}**{retired} · `{slug}`")
    replaces = ", ".join(service_names.get(service, service) for service in entry["replaces"])
    st.caption(
        _("Remplace {services} · disponible : {where}").format(
            services=plain(replaces), where=plain(availability_text(entry["availability"]))
        )
    )
    sources = " · ".join(plain(s["url"]) for s in entry["sources"])
    st.caption(
        _("Sources : {sources} — vérifiée le {date}").format(sources=sources, date=day(entry["last_checked"]))
    )


def entry_label(snapshot: Snapshot, kind: EntryKind, slug: str | None) -> str:
    if slug is None:
        return _("— nouvelle entrée —")
    entry = snapshot.of(kind)[slug]
    return str(entry["name"]) + (" " + _("(retirée)") if entry["retired"] else "")


def retire_button(
    db: Database, actor: Identity, snapshot: Snapshot, kind: EntryKind, slug: str | None
) -> None:
    """Retire the chosen category or service, or put it back (refused while something uses it)."""
    if slug is None:
        return
    retired = snapshot.of(kind)[slug]["retired"]
    label = _("Remettre au catalogue") if retired else _("Retirer")
    if st.button(label, key=f"console_categories_retire_{kind}", width="stretch"):
        attempt(lambda: set_retired(db, actor, kind, slug, not retired), _("C'est fait."))

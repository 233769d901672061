"""The console's edition form and list (widget keys `console_edition_*`, stable for tests)."""

from __future__ import annotations

from functools import partial
from typing import Any

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.core import clock
from challenge.core.i18n import _, ngettext
from challenge.core.vocabulary import EditionStatus
from challenge.editions import admin
from challenge.editions.calendar import EditionView
from challenge.editions.rules import MAX_WEEKS, MIN_WEEKS, TRANSITIONS, EditionForm, status_label
from challenge.teams.carryover import start_from_previous
from challenge.territories.areas import parse_territory
from challenge.views import console as edition_console
from challenge.views.console import EditionSummary
from ui import context
from ui.actions import attempt
from ui.console import territory_choices
from ui.format import plain

NEW = 0  # the "new edition" choice of the edition picker
_NEXT = "console_edition_next_pick"


def _action_label(target: str) -> str:
    if target == EditionStatus.OPEN:
        return _("Ouvrir les inscriptions")
    if target == EditionStatus.DRAFT:
        return _("Repasser en brouillon")
    return _("Lancer l'édition") if target == EditionStatus.RUNNING else _("Clore l'édition")


def _defaults(form: EditionForm | None) -> dict[str, Any]:
    if form is None:
        form = edition_console.new_edition_form(clock.today())
    return {
        "name": form.name,
        "territories": [f"{lvl}:{code}" for lvl, code in form.territories],
        "start": form.start_date,
        "weeks": form.weeks,
        "signup_opens": form.signup_opens,
        "signup_closes": form.signup_closes,
    }


def load_form(edition_id: int) -> None:
    """Put an edition's values (or a new edition's defaults) into the form's widgets."""
    form = edition_console.form_of(context.database(), edition_id) if edition_id != NEW else None
    for field, value in _defaults(form).items():
        st.session_state[f"console_edition_{field}"] = value


def _show_next(edition: EditionView) -> None:
    """After a save, the form shows the saved edition: a second tap updates it, never duplicates it."""
    st.session_state[_NEXT] = edition.id


def edition_form(identity: Identity, editions: list[EditionSummary]) -> None:
    names = {s.edition.id: s.edition.name for s in editions}
    if _NEXT in st.session_state:  # set before the widgets exist, as Streamlit requires
        st.session_state["console_edition_pick"] = st.session_state.pop(_NEXT)
        load_form(st.session_state["console_edition_pick"])
    pick = st.selectbox(
        _("Édition à modifier"),
        [NEW, *names],
        format_func=lambda i: _("Nouvelle édition") if i == NEW else names[i],
        key="console_edition_pick",
        on_change=lambda: load_form(st.session_state["console_edition_pick"]),
    )
    if "console_edition_name" not in st.session_state:
        load_form(pick)
    choices = territory_choices()
    with st.form("console_edition_form"):
        st.text_input(_("Nom"), key="console_edition_name", max_chars=120)
        st.multiselect(
            _("Territoires (communes, EPCI, départements)"),
            list(choices),
            format_func=lambda k: choices.get(k, k),
            key="console_edition_territories",
            placeholder=_("Tapez un nom de commune, d'EPCI ou de département"),
        )
        st.date_input(_("Début (semaine 1)"), key="console_edition_start", format="DD/MM/YYYY")
        st.number_input(_("Nombre de semaines"), MIN_WEEKS, MAX_WEEKS, step=1, key="console_edition_weeks")
        st.date_input(
            _("Ouverture des inscriptions"), key="console_edition_signup_opens", format="DD/MM/YYYY"
        )
        st.date_input(_("Clôture des inscriptions"), key="console_edition_signup_closes", format="DD/MM/YYYY")
        previous = None
        if pick == NEW and names:
            previous = st.selectbox(
                _("Reprendre une édition précédente (collectifs, capitaines, services sur confirmation)"),
                [NEW, *names],
                format_func=lambda i: _("Non, partir de zéro") if i == NEW else names[i],
                key="console_edition_from",
            )
        submitted = st.form_submit_button(
            _("Enregistrer l'édition"), type="primary", key="console_edition_save"
        )
    if submitted:
        _save(identity, pick, previous or NEW)


def _typed_form() -> EditionForm:
    state = st.session_state
    territories = tuple(parse_territory(k) for k in state["console_edition_territories"])
    return EditionForm(
        state["console_edition_name"],
        territories,
        state["console_edition_start"],
        int(state["console_edition_weeks"]),
        state["console_edition_signup_opens"],
        state["console_edition_signup_closes"],
    )


def _save(identity: Identity, pick: int, previous: int) -> None:
    db, form = context.database(), _typed_form()
    if None in (form.start_date, form.signup_opens, form.signup_closes):
        st.error(_("Indiquez les trois dates : début, ouverture et clôture des inscriptions."))
        return
    if pick != NEW:
        attempt(lambda: admin.update_edition(db, identity, pick, form), _("Édition enregistrée."))
    elif previous != NEW:
        created = _("Édition créée en brouillon.")
        attempt(lambda: start_from_previous(db, identity, previous, form), created, then=_show_next)
    else:
        created = _("Édition créée en brouillon.")
        attempt(lambda: admin.create_edition(db, identity, form), created, then=_show_next)


def edition_list(identity: Identity, editions: list[EditionSummary]) -> None:
    choices = territory_choices()
    for summary in editions:
        edition = summary.edition
        with st.container(border=True, key=f"console_edition_card_{edition.id}"):
            st.markdown(f"**{plain(edition.name)}** · {plain(status_label(edition.status))}")
            st.caption(
                ngettext(
                    "Du {start} au {end} · {n} foyer · inscriptions du {opens} au {closes}",
                    "Du {start} au {end} · {n} foyers · inscriptions du {opens} au {closes}",
                    summary.households,
                ).format(
                    start=edition.start_date.strftime("%d/%m/%Y"),
                    end=edition.end_date.strftime("%d/%m/%Y"),
                    n=summary.households,
                    opens=edition.signup_opens.strftime("%d/%m/%Y") if edition.signup_opens else "—",
                    closes=edition.signup_closes.strftime("%d/%m/%Y") if edition.signup_closes else "—",
                )
            )
            names = [choices.get(f"{lvl}:{code}", f"{lvl}:{code}") for lvl, code in summary.territories]
            st.caption(plain(", ".join(names) or _("tout le référentiel")))
            for target in TRANSITIONS.get(edition.status, ()):
                if st.button(_action_label(target), key=f"console_edition_{target}_{edition.id}"):
                    attempt(
                        partial(admin.change_status, context.database(), identity, edition.id, target),
                        _("Statut de l'édition mis à jour."),
                    )

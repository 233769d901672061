"""What households see of catalogue curation: retired choices to replace, and their suggestions."""

from __future__ import annotations

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.catalogue.retired_choices import RetiredChoice
from challenge.core import labels
from challenge.core.i18n import _, lazy_gettext, ngettext
from challenge.core.vocabulary import Level
from challenge.curation import suggestions
from challenge.curation.suggestions import SuggestionView
from challenge.models import Alternative
from challenge.territories.referential import Place
from ui import context
from ui.actions import attempt
from ui.format import day, plain
from ui.reference import cached_services

STATUS = {
    "pending": lazy_gettext("en attente de réponse"),
    "accepted": lazy_gettext("acceptée : elle est au catalogue"),
    "declined": lazy_gettext("refusée"),
}


def retired_notice(retired: list[RetiredChoice]) -> None:
    """Tell the household which chosen alternatives closed, and invite it to pick another."""
    if not retired:
        return
    lines = "\n".join(
        "- "
        + _("**{alternative}** (pour {service}) n'est plus proposée.").format(
            alternative=plain(r.alternative_name), service=plain(r.service_name)
        )
        for r in retired
    )
    st.warning(
        _("Une alternative que vous aviez choisie a été retirée du catalogue :") + f"\n\n{lines}\n\n"
        + _("Choisissez-en une autre dans « Mes services » ; votre historique est conservé.")
    )  # fmt: skip


def _territories(place: Place) -> dict[tuple[str, str], str]:
    return {
        (Level.COMMUNE, place.insee_code): _("Ma commune ({name})").format(name=place.name),
        (Level.EPCI, place.epci_siren): _("Mon intercommunalité (EPCI)"),
        (Level.DEPARTEMENT, place.departement_code): _("Mon département ({code})").format(
            code=place.departement_code
        ),
        suggestions.NATIONAL: _("Partout en France (service en ligne)"),
    }


def _form(identity: Identity, place: Place) -> None:
    assert identity.household_id is not None
    territories = _territories(place)
    services = {s.slug: f"{s.name} ({s.category_name})" for s in cached_services()}
    with st.form("suggestion_form", clear_on_submit=True, border=False):
        name = st.text_input(_("Nom de l'alternative"), key="suggestion_name", max_chars=200)
        url = st.text_input(_("Site web"), key="suggestion_url", placeholder="https://", max_chars=500)
        service = st.selectbox(
            _("Elle remplace"), list(services), key="suggestion_service", format_func=services.__getitem__
        )
        territory = st.selectbox(
            _("Où est-elle disponible ?"), list(territories), key="suggestion_territory",
            format_func=territories.__getitem__,
        )  # fmt: skip
        reason = st.text_area(_("Pourquoi la proposer ?"), key="suggestion_reason", max_chars=1000)
        sent = st.form_submit_button(_("Envoyer la suggestion"), key="suggestion_send", width="stretch")
    if sent:
        household_id = identity.household_id
        attempt(
            lambda: suggestions.suggest(
                context.database(), household_id, name=name, url=url,
                service_slug=service or "", territory=territory, reason=reason,
            ),
            lambda result: (
                _("Merci ! Les organisateurs vont étudier votre suggestion.")
                if result[1]
                else _("Suggestion déjà reçue.")
            ),
        )  # fmt: skip


def suggestion_section(identity: Identity, place: Place, mine: list[SuggestionView]) -> None:
    """A form to suggest an alternative, and the household's suggestions with the answers."""
    if not identity.owns_household:  # suggested in the household's name: its owner's
        return
    with st.expander(_("Suggérer une alternative (une coopérative locale, un service libre…)")):
        _form(identity, place)
        for item in mine:
            answer = f" — {plain(item.decision_reason)}" if item.decision_reason else ""
            st.markdown(
                f"**{plain(item.name)}** · {plain(item.service_name)} · {day(item.created_at.date())} : "
                f"{STATUS[item.status]}{answer}"
            )


def alternatives_shown(alternatives: list[Alternative]) -> None:
    """Each alternative as a household compares them: why (its description and ethics), effort,
    cost, a "Local" badge, and its site; one markdown block (fast with many)."""
    lines = []
    for alt in alternatives:
        local = " :green-badge[{}]".format(_("Local")) if not alt.is_national else ""
        ethics = ", ".join(str(labels.ETHICS[e]) for e in alt.ethics)
        effort = _("effort {level}").format(level=labels.EFFORT[alt.effort].lower())
        facts = f"{labels.KIND[alt.kind]} · {effort} · {labels.COST[alt.cost].lower()}"
        lines.append(
            f"- **{plain(alt.name)}**{local} — {plain(alt.description)}  \n"
            + plain(facts + (f" · {ethics}" if ethics else ""))
            + " · [{}]({})".format(_("Visiter le site"), alt.url)
        )
    st.markdown("\n".join(lines))


def only_one_reason(everywhere: int, commune: str) -> str:
    """Why a service offers a single choice: the others do not serve the commune, or there is one."""
    if everywhere > 1:
        return ngettext(
            "Une seule alternative à {commune} : l'autre du catalogue n'y est pas disponible.",
            "Une seule alternative à {commune} : les {others} autres du catalogue n'y sont pas disponibles.",
            everywhere - 1,
        ).format(commune=plain(commune), others=everywhere - 1)
    return _("Une seule alternative au catalogue pour ce service : suggérez-en une autre plus bas.")

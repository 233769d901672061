"""The captain's section of the collective's page: reminder, invitation code, goals, members."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.accounts.sessions import HouseholdIdentity
from challenge.catalogue.browse import alternatives_by_service
from challenge.core.i18n import _
from challenge.help import requests as help_requests
from challenge.help import sessions as help_sessions
from challenge.help import volunteers
from challenge.help.requests import RequestCard
from challenge.infra.db import Database
from challenge.mail import notifications
from challenge.teams import captains
from challenge.teams import requests as requests_module
from challenge.teams.captains import CaptainView
from challenge.teams.codes import invitation_path
from challenge.teams.stats import TeamBoard
from challenge.views.help import captain_help
from challenge.views.team import TeamPageView
from ui import context, help_views
from ui.actions import asks_first, attempt, shown_or_stop
from ui.format import plain
from ui.reference import cached_services


@st.cache_data(ttl=600, show_spinner=False)
def cached_alternatives() -> dict[str, list[tuple[str, str]]]:
    """(slug, name) of the alternatives to each service, anywhere (a team spans communes)."""
    with context.database().read() as session:
        found = alternatives_by_service(session, None)
    return {service: [(a.slug, a.name) for a in items] for service, items in found.items()}


def captain_tools(db: Database, identity: HouseholdIdentity, view: TeamPageView) -> None:
    """The captain's tools, at the top of the team page: requests to answer, the weekly digest,
    who has not checked in, the invitation, goals and members."""
    board, tools, household_id = view.board, view.tools, identity.household_id
    if board is None or tools is None:  # not a team's captain: no tools
        return
    st.header(_("Outils du capitaine"))
    _requests(db, household_id, board.team_id, view.requests)
    _help(db, household_id, board.team_id)
    _digest(db, identity.account_id, view.digest)
    _reminder(tools)
    _invitation(db, household_id, board, tools)
    _goal_form(db, household_id, board)
    _members(db, household_id, board, tools)


def _help(db: Database, household_id: int, team_id: int) -> None:
    """Members' help requests to answer, and the form to publish a local help session."""
    found = shown_or_stop(lambda: captain_help(db, household_id, team_id))
    st.header(_("Demandes d'aide des membres"))
    help_views.answers(
        found.requests, partial(help_requests.answer_as_captain, db, household_id, team_id), "team_help"
    )
    if found.nearby is not None:
        _nearby(db, household_id, team_id, found.nearby)
    with st.expander(_("Publier un rendez-vous d'aide près de chez vous"), key="team_help_session"):
        territories = {key: name for key, name in found.territories.items()}
        help_views.session_form(
            "team_help_session",
            territories,
            partial(help_sessions.publish_as_captain, db, household_id, team_id),
        )


def _nearby(db: Database, household_id: int, team_id: int, nearby: list[RequestCard]) -> None:
    """Shared requests of households without a collective in the team's EPCI, to answer too."""
    st.header(_("Entraide sur votre territoire"))
    st.caption(
        _(
            "Des foyers de votre intercommunalité sans collectif ont partagé leur demande avec les "
            "capitaines du coin : un coup de main de votre part peut tout changer."
        )
    )
    help_views.answers(
        nearby, partial(volunteers.answer_as_volunteer, db, household_id, team_id), "team_nearby_help"
    )


def _digest(db: Database, account_id: int, on: bool) -> None:
    """The weekly digest of the collective by mail, one tap away (also on the account page)."""
    chosen = st.toggle(
        _("Recevoir chaque semaine le résumé du collectif par e-mail"), value=on, key="team_digest"
    )
    st.caption(
        _(
            "Envoyé le jour et à l'heure de vos rappels (réglables sur la page « Compte »), "
            "avec un lien pour se désabonner."
        )
    )
    if chosen != on:
        attempt(
            partial(notifications.set_captain_digest, db, account_id, chosen),
            _("Résumé hebdomadaire activé.") if chosen else _("Résumé hebdomadaire désactivé."),
        )


def _reminder(tools: CaptainView) -> None:
    st.header(_("Qui n'a pas encore fait son bilan ?"))
    if tools.missing:
        st.markdown("\n".join(f"- {plain(name)}" for name in tools.missing))
    else:
        st.success(_("Tout le monde a fait son bilan cette semaine. Bravo !"))
    st.markdown(_("Message de rappel à copier dans le groupe du collectif (il ne nomme personne) :"))
    st.code(tools.reminder, language=None, wrap_lines=True)


def _invitation(db: Database, household_id: int, board: TeamBoard, tools: CaptainView) -> None:
    st.header(_("Code d'invitation"))
    if tools.invite_active:
        st.markdown(_("Partagez ce code : il permet de rejoindre le collectif depuis la page « Collectif »."))
        st.code(tools.invite_code, language=None)
        st.markdown(
            _("Ou partagez ce lien : il ouvre l'inscription (ou la connexion) avec le code déjà rempli.")
        )
        link = context.settings().mail.link(invitation_path(tools.invite_code), context.app_url())
        st.code(link, language=None, wrap_lines=True)
        if asks_first(
            _("Désactiver le code"),
            "team_invite_revoke",
            _("Désactiver le code ? Plus personne ne pourra rejoindre le collectif avec lui."),
            _("Oui, désactiver le code"),
        ):
            attempt(
                lambda: captains.revoke_invite(db, household_id, board.team_id), _("Le code est désactivé.")
            )
    else:
        st.info(_("Le code est désactivé : personne ne peut rejoindre le collectif."))
    if asks_first(
        _("Créer un nouveau code"),
        "team_invite_regenerate",
        _("Créer un nouveau code ? L'ancien cessera de fonctionner, y compris s'il a déjà été partagé."),
        _("Oui, créer un nouveau code"),
    ):
        attempt(
            lambda: captains.regenerate_invite(db, household_id, board.team_id),
            _("Nouveau code créé : l'ancien ne fonctionne plus."),
        )


def _goal_form(db: Database, household_id: int, board: TeamBoard) -> None:
    st.header(_("Fixer un objectif commun"))
    services = {s.slug: s.name for s in cached_services()}
    service = st.selectbox(
        _("Service à quitter ensemble"),
        list(services),
        index=None,
        format_func=services.__getitem__,
        key="team_goal_service",
        placeholder=_("Ex. : WhatsApp"),
    )
    options = dict(cached_alternatives().get(service or "", []))
    alternative = st.selectbox(
        _("Alternative à adopter ensemble"),
        list(options),
        index=None,
        format_func=options.__getitem__,
        key="team_goal_alternative",
        placeholder=_("Ex. : Signal"),
    )
    st.caption(_("L'objectif compte les membres dont les bilans disent qu'ils l'utilisent."))
    ready = service is not None and alternative is not None
    if st.button(_("Fixer l'objectif"), key="team_goal_save", disabled=not ready, width="stretch"):
        attempt(
            lambda: captains.set_goal(db, household_id, board.team_id, service or "", alternative),
            _("Objectif commun enregistré."),
        )
    for goal in board.goals:
        if st.button(
            _("Retirer l'objectif « {service} »").format(service=plain(goal.service_name)),
            key=f"team_goal_remove_{goal.service_slug}",
        ):
            attempt(
                partial(captains.remove_goal, db, household_id, board.team_id, goal.service_slug),
                _("Objectif retiré."),
            )


def _members(db: Database, household_id: int, board: TeamBoard, tools: CaptainView) -> None:
    st.header(_("Membres"))
    if not tools.others:
        st.caption(_("Personne d'autre dans le collectif pour l'instant : partagez le code !"))
        return
    names = {m.household_id: m.name + (_(" (capitaine)") if m.is_captain else "") for m in tools.others}
    member = st.selectbox(_("Membre"), list(names), format_func=names.__getitem__, key="team_member_pick")
    team = board.team_id
    if st.button(_("Nommer co-capitaine"), key="team_member_cocaptain", width="stretch"):
        attempt(lambda: captains.appoint_captain(db, household_id, team, member), _("Co-capitaine nommé."))
    sure = st.checkbox(_("Je confirme (retirer ou confier mon rôle)"), key="team_member_confirm")
    if st.button(
        _("Lui confier mon rôle de capitaine"), key="team_member_handover", disabled=not sure, width="stretch"
    ):
        attempt(
            lambda: captains.appoint_captain(db, household_id, team, member, step_down=True),
            _("Rôle de capitaine confié."),
        )
    if st.button(_("Retirer du collectif"), key="team_member_remove", disabled=not sure, width="stretch"):
        attempt(
            lambda: captains.remove_member(db, household_id, team, member), _("Membre retiré du collectif.")
        )
    st.caption(_("Un membre retiré peut revenir avec le code : créez un nouveau code pour l'en empêcher."))


def _requests(db: Database, household_id: int, team_id: int, requests: list[tuple[int, str]]) -> None:
    """Households that found the collective near them and asked to join: let them in or not."""
    if not requests:
        return
    st.header(_("Demandes pour rejoindre"))
    for asking, name in requests:
        with st.container(border=True):
            st.markdown(f"**{plain(name)}**")
            yes, no = st.columns(2)
            if yes.button(
                _("Accepter"), key=f"team_request_accept_{asking}", type="primary", width="stretch"
            ):
                attempt(
                    partial(requests_module.answer_request, db, household_id, team_id, asking, True),
                    _("Bienvenue à {name} dans le collectif !").format(name=name),
                )
            if no.button(_("Refuser"), key=f"team_request_decline_{asking}", width="stretch"):
                attempt(
                    partial(requests_module.answer_request, db, household_id, team_id, asking, False),
                    _("Demande refusée."),
                )

"""Help to switch on screen: sessions near a household next to the service they concern, with
« Je viendrai » and a calendar file; « J'ai besoin d'aide »; a captain's and the organisers'
answers; the form that publishes a session. Every text a person typed is shown through plain()."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

import streamlit as st

from challenge.core import labels
from challenge.core.i18n import _, lazy_gettext, ngettext
from challenge.help import requests, sessions
from challenge.help.forms import MAX_MESSAGE, MAX_SERVICES, SessionDraft
from challenge.help.requests import RequestCard
from challenge.help.sessions import SessionCard
from challenge.infra.db import Database
from challenge.views.help import HouseholdHelp
from ui.actions import attempt
from ui.format import PARIS, moment, plain
from ui.reference import cached_services

SHARE = lazy_gettext("Partager ma demande avec les bénévoles de mon territoire")
SHARE_CAPTION = lazy_gettext(
    "Les capitaines des collectifs de votre intercommunalité verront votre pseudonyme, votre commune, "
    "le service et votre message, et pourront vous répondre. Sinon, seule l'équipe du défi la voit."
)


def service_help(db: Database, household_id: int, slug: str, found: HouseholdHelp, shown: set[int]) -> None:
    """Under one declared service: the sessions about it not shown yet, and the help request."""
    for card in found.sessions_for(slug):
        if card.id not in shown:
            shown.add(card.id)
            _session_card(db, household_id, card)
    _request(db, household_id, slug, found.requests.get(slug), found.in_team)


def _session_card(db: Database, household_id: int, card: SessionCard) -> None:
    with st.container(border=True, key=f"help_session_{card.id}"):
        st.markdown(f"🤝 **{labels.HELP_KIND[card.kind]}** · {plain(card.topic)}")
        st.caption(
            _("{when} · {minutes} min · {place} ({territory})").format(
                when=moment(card.starts_at),
                minutes=card.duration_minutes,
                place=plain(card.place),
                territory=plain(card.territory),
            )
        )
        coming_line = ngettext(
            "{count} foyer a dit qu'il viendrait", "{count} foyers ont dit qu'ils viendraient", card.coming
        )
        st.caption(coming_line.format(count=card.coming))
        coming = st.toggle(_("Je viendrai"), value=card.you_come, key=f"help_coming_{card.id}")
        if coming != card.you_come:
            attempt(
                partial(sessions.set_coming, db, household_id, card.id, coming),
                _("C'est noté : à bientôt !") if coming else _("C'est noté : vous ne viendrez pas."),
            )
        names = {s.slug: s.name for s in cached_services()}
        st.download_button(
            _("Ajouter à mon agenda (.ics)"),
            partial(sessions.session_ics, db, household_id, card.id, names),
            f"aide-{card.id}.ics",
            "text/calendar",
            key=f"help_ics_{card.id}",
            on_click="ignore",
        )


def _request(db: Database, household_id: int, slug: str, request: RequestCard | None, in_team: bool) -> None:
    if request is None:
        with (
            st.expander(_("J'ai besoin d'aide"), key=f"help_ask_{slug}"),
            st.form(f"help_ask_form_{slug}", border=False),
        ):
            message = st.text_area(
                _("Ce qui vous bloque, en quelques mots (facultatif)"),
                max_chars=MAX_MESSAGE,
                key=f"help_message_{slug}",
            )
            shared = False if in_team else st.checkbox(str(SHARE), key=f"help_share_{slug}")
            if not in_team:
                st.caption(str(SHARE_CAPTION))
            if st.form_submit_button(_("Demander de l'aide"), key=f"help_ask_submit_{slug}"):
                attempt(
                    partial(requests.ask_help, db, household_id, slug, message, shared=shared),
                    _("Demande envoyée : votre capitaine (ou l'équipe du défi) vous répondra ici."),
                )
        return
    with st.container(border=True, key=f"help_request_{slug}"):
        if request.helped_at is not None:
            st.success(_("Vous avez été aidé pour ce service. Bravo !"), icon="🤝")
        else:
            st.info(_("Vous avez demandé de l'aide pour ce service."), icon="🙋")
        if request.message:
            st.caption(_("Votre message : {message}").format(message=plain(request.message)))
        if request.reply:
            said = labels.HELP_REPLY_FROM.get(request.replied_as or "", _("**Réponse** : {reply}"))
            st.markdown(str(said).format(reply=plain(request.reply)))
        if not in_team:
            shared = st.toggle(str(SHARE), value=request.shared, key=f"help_shared_{slug}")
            if shared != request.shared:
                attempt(
                    partial(requests.share_request, db, household_id, request.id, shared),
                    _("Demande partagée avec les bénévoles de votre territoire.")
                    if shared
                    else _("Demande retirée du partage : seule l'équipe du défi la voit."),
                )
        if st.button(_("Je n'ai plus besoin d'aide"), key=f"help_withdraw_{slug}"):
            attempt(partial(requests.withdraw_request, db, household_id, request.id), _("Demande retirée."))


def answers(
    requests_found: list[RequestCard], answer: Callable[[int, str, bool], object], prefix: str
) -> None:
    """Requests to answer (a captain's members, or households without a team for organisers)."""
    if not requests_found:
        st.caption(_("Aucune demande d'aide pour l'instant."))
    for request in requests_found:
        with st.container(border=True, key=f"{prefix}_{request.id}"):
            where = f" · {plain(request.commune)}" if request.commune else ""
            st.markdown(f"**{plain(request.household)}**{where} · {plain(request.service)}")
            if request.message:
                st.markdown(plain(request.message))
            if request.reply:
                st.caption(_("Réponse envoyée : {reply}").format(reply=plain(request.reply)))
            if request.helped_at is not None:
                st.success(_("Aidé le {when}").format(when=moment(request.helped_at)))
                continue
            with st.form(f"{prefix}_form_{request.id}", border=False):
                reply = st.text_area(
                    _("Votre réponse"), max_chars=MAX_MESSAGE, key=f"{prefix}_reply_{request.id}"
                )
                helped = st.checkbox(_("Ce foyer a été aidé"), key=f"{prefix}_helped_{request.id}")
                if st.form_submit_button(_("Envoyer"), type="primary", key=f"{prefix}_send_{request.id}"):
                    attempt(partial(answer, request.id, reply, helped), _("Réponse enregistrée."))


def session_form(
    prefix: str, territories: dict[tuple[str, str], str], publish: Callable[[SessionDraft], int]
) -> None:
    """Publish a help session for one of `territories` (a commune or an EPCI)."""
    services = {s.slug: s.name for s in cached_services()}
    with st.form(f"{prefix}_form"):
        kind = st.selectbox(
            _("Type de rendez-vous"), list(labels.HELP_KIND), format_func=lambda k: str(labels.HELP_KIND[k]),
            key=f"{prefix}_kind",
        )  # fmt: skip
        territory = st.selectbox(
            _("Commune ou intercommunalité"), list(territories), index=None,
            format_func=territories.__getitem__, key=f"{prefix}_territory", placeholder=_("Choisissez où"),
        )  # fmt: skip
        day = st.date_input(_("Date"), value=None, format="DD/MM/YYYY", key=f"{prefix}_day")
        hour = st.time_input(_("Heure de début"), value=None, step=900, key=f"{prefix}_hour")
        duration = st.number_input(
            _("Durée (minutes)"), min_value=15, max_value=720, value=120, step=15, key=f"{prefix}_duration"
        )
        place = st.text_input(_("Lieu (adresse)"), max_chars=200, key=f"{prefix}_place")
        topic = st.text_input(_("Thème"), max_chars=200, key=f"{prefix}_topic")
        chosen = st.multiselect(
            _("Services concernés"), list(services), format_func=services.__getitem__,
            max_selections=MAX_SERVICES, key=f"{prefix}_services", placeholder=_("Ex. : WhatsApp"),
        )  # fmt: skip
        if st.form_submit_button(_("Publier le rendez-vous"), type="primary", key=f"{prefix}_submit"):
            starts = datetime.combine(day, hour, tzinfo=PARIS) if day and hour else None
            level, code = territory or ("", "")
            draft = SessionDraft(kind or "", level, code, starts, int(duration), place, topic, chosen)
            attempt(partial(publish, draft), _("Rendez-vous publié : les foyers du territoire le verront."))


def session_list(db: Database, account_id: int, found: list[SessionCard]) -> None:
    """Upcoming sessions, each with its count and a way to withdraw it."""
    if not found:
        st.caption(_("Aucun rendez-vous à venir."))
    for card in found:
        with st.container(border=True, key=f"console_help_session_{card.id}"):
            st.markdown(f"**{labels.HELP_KIND[card.kind]}** · {plain(card.topic)} · {plain(card.territory)}")
            st.caption(
                f"{moment(card.starts_at)} · {plain(card.place)} · "
                + ngettext("{count} foyer viendra", "{count} foyers viendront", card.coming).format(
                    count=card.coming
                )
            )
            if st.button(_("Retirer ce rendez-vous"), key=f"console_help_cancel_{card.id}"):
                attempt(partial(sessions.cancel_session, db, account_id, card.id), _("Rendez-vous retiré."))

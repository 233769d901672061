"""The account page's "Rappels" and "Agenda" sections: opt-in mails and the private calendar feed."""

from __future__ import annotations

import streamlit as st
from babel.dates import get_day_names

from challenge.accounts.sessions import Identity
from challenge.core import clock
from challenge.core.i18n import _, babel_locale
from challenge.core.vocabulary import Role
from challenge.mail import notifications
from challenge.mail.calendar_feed import (
    calendar_created_at,
    calendar_for_token,
    calendar_url,
    new_calendar_token,
    revoke_calendar_token,
    subscription_url,
)
from ui import context
from ui.actions import succeeded
from ui.format import long_day

_NEW_FEED = "account_calendar_new_token"  # shown once, right after it is made


def _weekday_names() -> dict[int, str]:
    names = get_day_names("wide", locale=babel_locale())
    return {day: str(names[day]).capitalize() for day in range(7)}


def reminders_section(identity: Identity) -> None:
    """Opt-in weekly reminder (day and hour), captain's digest, follow-up invitations."""
    st.header(_("Rappels par e-mail"))
    db = context.database()
    with db.read() as session:
        current = notifications.preferences_of(session, identity.account_id)
    days = _weekday_names()
    with st.form("account_reminders_form"):
        reminders = st.checkbox(
            _("M'envoyer un rappel si je n'ai pas fait mon bilan de la semaine"),
            value=current.reminders,
            key="account_reminders",
        )
        left, right = st.columns(2)
        weekday = left.selectbox(
            _("Jour du rappel"),
            list(days),
            index=current.weekday,
            format_func=days.__getitem__,
            key="account_reminder_day",
        )
        hour = right.selectbox(
            _("Heure du rappel (heure de Paris)"),
            list(range(24)),
            index=current.hour,
            format_func=lambda h: f"{h:02d}:00",
            key="account_reminder_hour",
        )
        digest = current.captain_digest
        if Role.CAPTAIN in identity.roles or current.captain_digest:
            digest = st.checkbox(
                _(
                    "Capitaine : m'envoyer le résumé hebdomadaire du collectif "
                    "(le même jour, à la même heure)"
                ),
                value=current.captain_digest,
                key="account_digest",
            )
        followups = st.checkbox(
            _("M'inviter au suivi, 3 et 6 mois après le défi (« ça tient ? »)"),
            value=current.followups,
            key="account_followups",
        )
        saved = st.form_submit_button(_("Enregistrer mes rappels"), key="account_reminders_save")
    st.caption(
        _("Chaque e-mail contient un lien pour se désabonner en un clic. Aucun autre usage de votre adresse.")
    )
    if saved:
        choice = notifications.Preferences(
            bool(reminders), int(weekday), int(hour), bool(digest), bool(followups)
        )
        if succeeded(lambda: notifications.save_preferences(db, identity.account_id, choice)):
            st.success(_("Vos choix de rappels sont enregistrés."))


def calendar_section(identity: Identity) -> None:
    """A private calendar address with the weekly check-in, to add to the phone's own calendar."""
    st.header(_("Agenda du téléphone"))
    st.markdown(
        _(
            "Ajoutez le bilan hebdomadaire à l'agenda de votre téléphone (abonnement à un calendrier "
            "ICS) : il vous le rappellera lui-même, sans service de notification des GAFAM. "
            "L'adresse est secrète : ne la partagez pas."
        )
    )
    db = context.database()
    with db.read() as session:
        created = calendar_created_at(session, identity.account_id)
    if created is None:
        if st.button(
            _("Ajouter à mon agenda"), key="account_calendar_create", type="primary", width="stretch"
        ):
            st.session_state[_NEW_FEED] = new_calendar_token(db, identity.account_id)
            st.rerun()
        return
    token = st.session_state.pop(_NEW_FEED, None)
    if token:
        _new_feed(token)
    else:
        st.info(
            _("Une adresse d'agenda est active depuis le {day}. Perdue ? Créez-en une nouvelle.").format(
                day=long_day(created.date())
            )
        )
    left, right = st.columns(2)
    if left.button(
        _("Nouvelle adresse (l'ancienne cesse de fonctionner)"), key="account_calendar_regenerate"
    ):
        st.session_state[_NEW_FEED] = new_calendar_token(db, identity.account_id)
        st.rerun()
    if right.button(_("Supprimer l'adresse d'agenda"), key="account_calendar_revoke"):
        revoke_calendar_token(db, identity.account_id)
        st.rerun()


def _new_feed(token: str) -> None:
    """The feed just made, shown once: one tap to subscribe, the file, and the address to copy."""
    mail = context.settings().mail
    url = calendar_url(mail, token, context.app_url())
    st.success(_("Votre agenda est prêt : ajoutez-le maintenant, l'adresse ne sera plus affichée."))
    st.link_button(_("Ajouter à mon agenda"), subscription_url(url), type="primary", width="stretch")
    feed = calendar_for_token(context.database(), token, mail, clock.now())
    if feed is not None:
        st.download_button(
            _("Télécharger le fichier .ics"),
            feed,
            "defi-zero-gafam.ics",
            "text/calendar",
            key="account_calendar_download",
            width="stretch",
        )
    st.caption(_("Ou copiez l'adresse dans votre application d'agenda (abonnement) :"))
    st.code(url, language=None, wrap_lines=True)

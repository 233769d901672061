"""The mail telling a household that its threshold pledge triggered, queued in the outbox.

Written in the trigger's transaction under the key "pledge:<id>", so a pledge is announced at most
once. Like reminders, it goes only to a confirmed address; the team page shows the notice anyway.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from challenge.core.i18n import _, ngettext, use_locale
from challenge.infra.outbox import Mail, enqueue
from challenge.models import Account, Alternative, BigTechService, Household, TeamPledge

PLEDGE_TRIGGERED = "pledge_triggered"


def queue_notice(session: Session, pledge_id: int, now: datetime) -> bool:
    """Queue the notice of a triggered pledge; False when already queued or no confirmed address."""
    row = session.execute(
        select(TeamPledge.threshold, Account, BigTechService.name, Alternative.name)
        .join(Household, Household.id == TeamPledge.household_id)
        .join(Account, Account.id == Household.account_id)
        .join(BigTechService, BigTechService.slug == TeamPledge.service_slug)
        .join(Alternative, Alternative.slug == TeamPledge.alternative_slug)
        .where(TeamPledge.id == pledge_id)
    ).one_or_none()
    if row is None:
        return False
    threshold, account, service, alternative = row
    if account.email_confirmed_at is None or not account.is_active:
        return False
    with use_locale(account.locale):
        subject = _("Votre engagement est déclenché : à vous de passer à {alternative}").format(
            alternative=alternative
        )
        body = ngettext(
            "Bonjour,\n\nVous vous étiez engagé à quitter {service} pour {alternative} dès qu'un "
            "autre membre de votre collectif y serait. C'est fait, d'après ses bilans.\n\n",
            "Bonjour,\n\nVous vous étiez engagé à quitter {service} pour {alternative} dès que {threshold} "
            "autres membres de votre collectif y seraient. C'est fait, d'après leurs bilans.\n\n",
            threshold,
        ).format(service=service, alternative=alternative, threshold=threshold) + _(
            "À vous de jouer ! Votre engagement est sur la page « Mon collectif » du Défi Zéro Gafam.\n"
        )
    mail = Mail(f"pledge:{pledge_id}", PLEDGE_TRIGGERED, account.email, subject, body, account.id)
    return enqueue(session, mail, now)

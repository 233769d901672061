"""Badges and the follow-up invitation on the household's progress page."""

from __future__ import annotations

import streamlit as st

from challenge.badges import badges_of, team_goals_of
from challenge.followups import due_followup
from challenge.i18n import _, ngettext
from challenge.progress import HouseholdProgress
from ui import context
from ui.format import plain


def followup_banner(household_id: int) -> None:
    """An invitation to the open follow-up ("does it last?") until it is answered."""
    with context.database().read() as session:
        followup = due_followup(session, household_id, context.today())
    if followup is None or followup.is_complete:
        return
    st.info(
        _(
            "{months} mois après « {edition} » : vos changements tiennent-ils ? Une minute pour nous le dire."
        ).format(months=followup.months, edition=plain(followup.edition.name))
    )
    st.page_link("pages/followup.py", label=_("Répondre au suivi"), icon="🔄")


def badges_section(progress: HouseholdProgress, household_id: int) -> None:
    """Every badge with its state in words (not only colour) and its rule."""
    with context.database().read() as session:
        goals = team_goals_of(session, household_id, context.today())
    badges = badges_of(progress, goals)
    earned = sum(badge.earned for badge in badges)
    st.subheader(_("Badges"))
    st.caption(
        ngettext("{earned} badge obtenu sur {total}.", "{earned} badges obtenus sur {total}.", earned).format(
            earned=earned, total=len(badges)
        )
    )
    lines = []
    for badge in badges:
        state = _("obtenu") if badge.earned else _("pas encore")
        mark = "✔" if badge.earned else "○"
        lines.append(f"- {mark} {badge.icon} **{badge.title}** — {state} ({badge.progress})")
    st.markdown("\n".join(lines))
    with st.expander(_("Comment obtenir les badges ?")):
        st.markdown("\n".join(f"- **{badge.title}** : {badge.rule}" for badge in badges))

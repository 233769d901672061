"""Badges, past editions and the follow-up invitation on the household's progress page."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _, ngettext
from challenge.editions.history import PastEdition
from challenge.households.badges import Badge
from challenge.households.followups import Followup
from ui.format import day, percent, plain


def followup_banner(followup: Followup | None) -> None:
    """An invitation to the open follow-up ("does it last?") until it is answered."""
    if followup is None or followup.is_complete:
        return
    st.info(
        _(
            "{months} mois après « {edition} » : vos changements tiennent-ils ? Une minute pour nous le dire."
        ).format(months=followup.months, edition=plain(followup.edition.name))
    )
    st.page_link("pages/followup.py", label=_("Répondre au suivi"), icon="🔄")


def badges_section(badges: list[Badge]) -> None:
    """Every badge with its state in words (not only colour) and its rule."""
    earned = sum(badge.earned for badge in badges)
    st.header(_("Badges"))
    st.caption(
        ngettext("{earned} badge obtenu sur {total}.", "{earned} badges obtenus sur {total}.", earned).format(
            earned=earned, total=len(badges)
        )
    )
    lines = []
    for badge in badges:
        state = _("obtenu") if badge.earned else _("pas encore")
        mark = "✔ " if badge.earned else ""  # the state is also in words: no empty circle after the bullet
        lines.append(f"- {mark}{badge.icon} **{badge.title}** — {state} ({badge.progress})")
    st.markdown("\n".join(lines))
    with st.expander(_("Comment obtenir les badges ?")):
        st.markdown("\n".join(f"- **{badge.title}** : {badge.rule}" for badge in badges))


def past_editions_section(past: list[PastEdition]) -> None:
    """The household's closed editions, newest first: its history stays from one year to the next."""
    if not past:
        return
    st.header(_("Mes éditions précédentes"))
    lines = []
    for record in past:
        edition = record.edition
        weeks = ngettext("{n} semaine de bilan", "{n} semaines de bilan", record.weeks_checked).format(
            n=record.weeks_checked
        )
        lines.append(
            _(
                "- **{edition}** (du {start} au {end}) : score {score}, "
                "{switched} / {followed} remplacés, {weeks}"
            ).format(
                edition=plain(edition.name),
                start=day(edition.start_date),
                end=day(edition.end_date),
                score=percent(record.score),
                switched=record.switched,
                followed=record.followed,
                weeks=weeks,
            )
        )
    st.markdown("\n".join(lines))

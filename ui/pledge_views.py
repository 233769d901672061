"""The pledges section of the collective's page: the notice of a triggered pledge, the team's
pledges and how many more members each needs, and the form to pledge on a shared goal."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.core.i18n import _, ngettext
from challenge.infra.db import Database
from challenge.teams import pledges
from challenge.teams.pledge_board import PledgeProgress
from challenge.teams.stats import TeamBoard
from ui.actions import attempt
from ui.format import moment, plain


def notices(db: Database, household_id: int, board: TeamBoard) -> None:
    """Top of the page: the household's own pledges that triggered and it has not closed yet."""
    for pledge in board.pledges:
        if pledge.household_id != household_id or pledge.triggered_at is None or pledge.acknowledged:
            continue
        with st.container(border=True, key=f"team_pledge_notice_{pledge.id}"):
            st.success(
                _(
                    "**Votre engagement est déclenché** ({when}) : assez de membres utilisent "
                    "{alternative}. À vous de quitter {service} !"
                ).format(
                    when=moment(pledge.triggered_at),
                    alternative=plain(pledge.alternative_name),
                    service=plain(pledge.service_name),
                ),
                icon="🎉",
            )
            if st.button(_("C'est noté"), key=f"team_pledge_ack_{pledge.id}"):
                done = partial(pledges.acknowledge_pledge, db, household_id, pledge.id)
                attempt(done, _("Bonne bascule !"))


def section(db: Database, household_id: int, board: TeamBoard) -> None:
    st.header(_("Engagements du collectif"))
    st.caption(
        _(
            "« Je passe à Signal quand 3 membres du collectif y sont » : chacun s'engage à son seuil, "
            "compté d'après les bilans des autres membres. Vous êtes prévenu quand il est atteint."
        )
    )
    for pledge in board.pledges:
        _pledge_line(db, household_id, pledge)
    _form(db, household_id, board)


def _pledge_line(db: Database, household_id: int, pledge: PledgeProgress) -> None:
    who = _("Vous") if pledge.household_id == household_id else plain(pledge.name)
    line = ngettext(
        "{who} : de {service} à {alternative} quand {threshold} autre membre y sera",
        "{who} : de {service} à {alternative} quand {threshold} autres membres y seront",
        pledge.threshold,
    ).format(
        who=who,
        service=plain(pledge.service_name),
        alternative=plain(pledge.alternative_name),
        threshold=pledge.threshold,
    )
    if pledge.triggered_at is not None:
        state = _("déclenché le {when}").format(when=moment(pledge.triggered_at))
    else:
        state = ngettext(
            "encore {needed} membre à convaincre", "encore {needed} membres à convaincre", pledge.needed
        ).format(needed=pledge.needed)
    st.markdown(f"- {line} ({state})")
    mine = pledge.household_id == household_id and pledge.triggered_at is None
    if mine and st.button(_("Retirer mon engagement"), key=f"team_pledge_withdraw_{pledge.id}"):
        attempt(partial(pledges.withdraw_pledge, db, household_id, pledge.id), _("Engagement retiré."))


def _form(db: Database, household_id: int, board: TeamBoard) -> None:
    options = {
        (g.service_slug, g.alternative_slug): f"{g.service_name} → {g.alternative_name}"
        for g in board.goals
        if g.alternative_slug and g.alternative_name
    }
    if not options:
        st.caption(_("On s'engage sur un objectif commun : le capitaine n'en a pas encore fixé."))
        return
    with st.form("team_pledge_form"):
        choice = st.selectbox(
            _("Je quitterai"),
            list(options),
            format_func=options.__getitem__,
            key="team_pledge_goal",
        )
        threshold = st.number_input(
            _("quand ce nombre d'autres membres du collectif y seront"),
            min_value=1,
            max_value=pledges.MAX_THRESHOLD,
            value=3,
            step=1,
            key="team_pledge_threshold",
        )
        if st.form_submit_button(_("Je m'engage"), type="primary", width="stretch", key="team_pledge_save"):
            service, alternative = choice or ("", None)
            attempt(
                lambda: pledges.make_pledge(
                    db, household_id, board.team_id, service, alternative or "", int(threshold)
                ),
                _("Engagement enregistré : vous serez prévenu quand le seuil sera atteint."),
            )

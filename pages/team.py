"""My collective: who checked in this week, our average score, shared goals; captains' tools."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.editions.lookup import enrolment_of
from challenge.teams.captains import captain_view
from challenge.teams.places import territory_choices
from challenge.teams.stats import team_board, team_of
from ui import captain_views, context, team_views

identity = context.household_identity()
household_id = identity.household_id
db, today = context.database(), context.today()
with db.read() as session:
    enrolled = enrolment_of(session, household_id) is not None
    team_id = team_of(session, household_id)
    board = team_board(session, household_id, team_id, today) if team_id else None
    tools = (
        captain_view(session, household_id, board, team_views.app_url())
        if board and board.you_are_captain
        else None
    )
    territories = territory_choices(session, household_id) if board is None else []

st.title(_("Mon collectif"))
if not enrolled:
    st.info(
        _(
            "Votre foyer ne participe à aucune édition en cours : "
            "les collectifs reviendront avec la prochaine."
        )
    )
    st.stop()
if board is None:
    team_views.without_team(db, household_id, territories)
    st.stop()
team_views.overview(db, household_id, board)
team_views.goals(board)
team_views.progress(board)
if tools is not None:
    captain_views.captain_tools(db, household_id, board, tools)
team_views.leave(db, household_id, board)

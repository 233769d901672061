"""My collective: who checked in this week, our average score, shared goals and pledges; captains' tools."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _
from challenge.views.team import team_page_view
from ui import captain_views, context, pledge_views, team_views

identity = context.household_identity()
household_id = identity.household_id
db = context.database()
view = team_page_view(db, household_id, context.today(), team_views.app_url())
board, tools = view.board, view.tools

st.title(_("Mon collectif"))
if not view.enrolled:
    st.info(
        _(
            "Votre foyer ne participe à aucune édition en cours : "
            "les collectifs reviendront avec la prochaine."
        )
    )
    st.stop()
if board is None:
    team_views.open_teams(db, household_id, view.open_teams)  # no code: the ones near, to ask
    team_views.without_team(db, household_id, view.territories)
    st.stop()
pledge_views.notices(db, household_id, board)  # a triggered pledge of this household, first
if tools is not None:  # a captain comes here for its tools first
    captain_views.captain_tools(db, identity, view)
team_views.overview(db, household_id, board)
team_views.goals(board)
pledge_views.section(db, household_id, board)
team_views.progress(board)
team_views.leave(db, household_id, board)

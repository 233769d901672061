"""The collectives' leaderboard of the edition, for the whole région or one territory."""

from __future__ import annotations

import streamlit as st

from challenge.errors import ChallengeError
from challenge.leaderboard import MIN_RANKED_MEMBERS, leaderboard, leaderboard_areas
from ui import context
from ui.format import percent, plain

SHOWN = 50
identity = context.household_identity()
db, today = context.database(), context.today()

st.title("Classement des collectifs")
try:
    with db.read() as session:
        areas = {
            (level, code): name for level, code, name in leaderboard_areas(session, identity.household_id)
        }
except ChallengeError as error:
    st.info(error.message)
    st.stop()
area = st.selectbox(
    "Territoire",
    [None, *areas],
    format_func=lambda key: areas[key] if key else "Tous les collectifs de l'édition",
    key="teams_area",
)
with db.read() as session:
    board = leaderboard(session, identity.household_id, today, area)

with st.expander("Comment le classement est-il établi ?"):
    st.markdown(
        "Les collectifs sont classés d'abord par **score moyen** : la moyenne des scores de leurs "
        "foyers, si bien qu'un petit collectif peut devancer un grand. À égalité, la **part des foyers "
        f"qui ont fait leur bilan de la semaine {board.week}** départage, puis l'ordre alphabétique.\n\n"
        f"Les collectifs de moins de {MIN_RANKED_MEMBERS} foyers sont listés sans rang ni chiffres : "
        "une moyenne sur un ou deux foyers ne permet pas une comparaison équitable, et elle "
        "dévoilerait leurs réponses. Le classement ne montre que des chiffres d'ensemble, jamais les membres."
    )

ranked = [s for s in board.standings if s.rank is not None]
small = [s for s in board.standings if s.rank is None]
if not board.standings:
    st.info("Aucun collectif ici pour l'instant. Créez le vôtre depuis la page « Collectif » !")
elif not ranked:
    st.info(
        f"Aucun collectif n'a encore {MIN_RANKED_MEMBERS} foyers : le classement commence là. "
        "Invitez vos voisins !"
    )
for position, standing in enumerate(ranked, start=1):
    if position > SHOWN and not standing.is_yours:
        continue
    yours = " · **votre collectif**" if standing.is_yours else ""
    st.markdown(
        f"**{standing.rank}. {plain(standing.name)}**{yours}  \n"
        f"{plain(standing.territory)} · {standing.members} foyers · score moyen "
        f"{percent(standing.score or 0)} · bilans de la semaine {percent(standing.participation or 0)}"
    )
if len(ranked) > SHOWN:
    st.caption(f"… et {len(ranked) - SHOWN} autres collectifs classés.")
if small:
    with st.expander(
        f"Trop petits pour être classés ({len(small)})", expanded=any(s.is_yours for s in small)
    ):
        for standing in small:
            yours = " · **votre collectif**" if standing.is_yours else ""
            st.markdown(
                f"- {plain(standing.name)}{yours} · {plain(standing.territory)} · {standing.members} foyer(s)"
            )
st.page_link("pages/team.py", label="Mon collectif", icon="🤝")

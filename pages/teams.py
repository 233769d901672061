"""The collectives' leaderboard of the edition, for the whole région or one territory."""

from __future__ import annotations

import streamlit as st

from challenge.core.i18n import _, ngettext
from challenge.teams.leaderboard import MIN_RANKED_MEMBERS, TeamStanding
from challenge.teams.ranking import PRIOR_HOUSEHOLDS
from challenge.views.team import leaderboard_view
from ui import context
from ui.actions import shown_or_stop
from ui.format import number, percent, plain

SHOWN = 50


def first_and_yours(standings: list[TeamStanding]) -> list[TeamStanding]:
    """The first SHOWN standings, and the household's own wherever it stands."""
    return [s for position, s in enumerate(standings) if position < SHOWN or s.is_yours]


def yours(standing: TeamStanding) -> str:
    return " · **{}**".format(_("votre collectif")) if standing.is_yours else ""


identity = context.household_identity()
db, today = context.database(), context.today()

st.title(_("Classement des collectifs"))


household_id = identity.household_id
view = shown_or_stop(lambda: leaderboard_view(db, household_id, today, st.session_state.get("teams_area")))
areas, board = view.areas, view.board
area = st.selectbox(
    _("Territoire"),
    [None, *areas],
    format_func=lambda key: areas[key] if key else _("Tous les collectifs de l'édition"),
    key="teams_area",
)

with st.expander(_("Comment le classement est-il établi ?")):
    st.markdown(
        _(
            "Les collectifs sont classés par **services remplacés par foyer**, comptés comme si chaque "
            "collectif avait aussi {prior} foyers dans la moyenne du défi : déclarer moins de services "
            "ne fait pas monter, et un petit collectif n'est ni propulsé en tête ni relégué en queue par "
            "le hasard de deux ou trois foyers. À égalité, la **part des foyers qui ont fait leur bilan "
            "de la semaine {week}** départage, puis l'ordre alphabétique.\n\n"
            "Les collectifs de moins de {minimum} foyers sont listés sans rang ni chiffres : "
            "des chiffres sur un ou deux foyers dévoileraient leurs réponses. "
            "Le classement ne montre que des chiffres d'ensemble, jamais les membres."
        ).format(week=board.week, minimum=MIN_RANKED_MEMBERS, prior=PRIOR_HOUSEHOLDS)
    )

ranked = [s for s in board.standings if s.rank is not None]
small = [s for s in board.standings if s.rank is None]
if not board.standings:
    st.info(_("Aucun collectif ici pour l'instant. Créez le vôtre depuis la page « Collectif » !"))
elif not ranked:
    st.info(
        _(
            "Aucun collectif n'a encore {minimum} foyers : le classement commence là. Invitez vos voisins !"
        ).format(minimum=MIN_RANKED_MEMBERS)
    )
mine = next((s for s in board.standings if s.is_yours), None)
if mine is not None and mine.rank is not None:  # where we stand, before scrolling a long list
    st.success(
        _("Votre collectif « {name} » : rang {rank} sur {count}.").format(
            name=plain(mine.name), rank=mine.rank, count=len(ranked)
        )
    )
elif mine is not None:
    st.info(
        _(
            "Votre collectif « {name} » entrera au classement à {minimum} foyers (il en compte {members}). "
            "Invitez vos voisins !"
        ).format(name=plain(mine.name), minimum=MIN_RANKED_MEMBERS, members=mine.members)
    )
listed = first_and_yours(ranked)
for standing in listed:
    st.markdown(
        f"**{standing.rank}. {plain(standing.name)}**{yours(standing)}  \n"
        + _(
            "{territory} · {members} foyers · {switches} services remplacés par foyer · "
            "bilans de la semaine {participation}"
        ).format(
            territory=plain(standing.territory),
            members=standing.members,
            switches=number(standing.switches or 0),
            participation=percent(standing.participation or 0),
        )
    )
if len(ranked) > len(listed):
    more = len(ranked) - len(listed)
    st.caption(
        ngettext(
            "… et {count} autre collectif classé.", "… et {count} autres collectifs classés.", more
        ).format(count=more)
    )
if small:
    with st.expander(
        _("Trop petits pour être classés ({count})").format(count=len(small)),
        expanded=mine in small,
    ):
        shown = first_and_yours(small)
        lines = []
        for standing in shown:  # one list, not one element per team: thousands at regional scale
            members = ngettext("{count} foyer", "{count} foyers", standing.members).format(
                count=standing.members
            )
            lines.append(
                f"- {plain(standing.name)}{yours(standing)} · {plain(standing.territory)} · {members}"
            )
        st.markdown("\n".join(lines))
        if len(small) > len(shown):
            more = len(small) - len(shown)
            st.caption(
                ngettext(
                    "… et {count} autre petit collectif.", "… et {count} autres petits collectifs.", more
                ).format(count=more)
            )
st.page_link("pages/team.py", label=_("Mon collectif"), icon="🤝")

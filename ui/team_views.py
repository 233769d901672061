"""Sections of the collective's page that every member sees, and the forms to join or create one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from challenge import team_charts
from challenge.captains import claim_captaincy
from challenge.db import Database
from challenge.errors import ChallengeError
from challenge.team_stats import TeamBoard
from challenge.teams import MAX_DESCRIPTION, MAX_NAME, create_team, join_team, leave_team
from ui.format import percent, plain
from ui.frame import flash

SHARED_WITH_TEAMMATES = (
    "En rejoignant un collectif, vous acceptez que ses membres voient le nom de votre foyer et "
    "**si vous avez fait votre bilan de la semaine**. Ils voient aussi les moyennes du collectif "
    "(score, services remplacés), jamais vos réponses ni votre score. Vous pouvez le quitter à tout moment."
)


def attempt(action: Callable[[], Any], success: str) -> None:
    """Run a service call: its French error on failure, else a flash message and a fresh run."""
    try:
        action()
    except ChallengeError as error:
        st.error(error.message)
    else:
        flash(success)
        st.rerun()


def app_url() -> str:
    """The app's own address as the browser sees it (for links in the reminder), or ""."""
    parts = urlsplit(st.context.url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""


def without_team(db: Database, household_id: int, territories: list[tuple[str, str]]) -> None:
    st.markdown(
        "Un collectif, ce sont quelques foyers (voisins, amis, collègues, association…) qui "
        "relèvent le défi ensemble : on voit qui a fait son bilan de la semaine, on se fixe des "
        "objectifs communs et on se compare aux autres collectifs."
    )
    st.subheader("Rejoindre un collectif")
    with st.form("team_join_form"):
        code = st.text_input(
            "Code d'invitation", key="team_join_code", max_chars=32, placeholder="Ex. : K7M2QX"
        )
        st.caption(SHARED_WITH_TEAMMATES)
        if st.form_submit_button("Rejoindre le collectif", type="primary", width="stretch", key="team_join"):
            attempt(lambda: join_team(db, household_id, code), "Bienvenue dans le collectif !")
    st.subheader("Créer un collectif")
    with st.form("team_create_form"):
        name = st.text_input("Nom du collectif", key="team_create_name", max_chars=MAX_NAME)
        about = st.text_area(
            "Présentation (facultatif)", key="team_create_description", max_chars=MAX_DESCRIPTION
        )
        labels = dict(territories)
        level = st.radio(
            "Territoire du collectif",
            list(labels),
            format_func=labels.__getitem__,
            key="team_create_level",
            help="Le collectif apparaît dans le classement de ce territoire.",
        )
        st.caption("Vous en serez le capitaine et recevrez un code à partager. " + SHARED_WITH_TEAMMATES)
        if st.form_submit_button("Créer le collectif", width="stretch", key="team_create"):
            attempt(
                lambda: create_team(db, household_id, name, about, level or "commune"),
                "Votre collectif est créé ! Partagez son code d'invitation.",
            )
    st.page_link("pages/teams.py", label="Voir le classement des collectifs", icon="🏆")


def overview(db: Database, household_id: int, board: TeamBoard) -> None:
    st.subheader(plain(board.name))
    st.caption(f"{plain(board.territory)} · {plain(board.edition.name)}")
    if board.description:
        st.markdown(plain(board.description))
    with st.container(horizontal=True, gap="medium", key="team_metrics"):
        st.metric(
            "Score moyen", percent(board.score), width="content", help="Moyenne des scores des membres."
        )
        st.metric("Bilans", f"{board.checked_in} / {len(board.members)}", width="content")
        st.metric(
            "Série",
            f"{board.streak} sem.",
            width="content",
            help="Semaines d'affilée où au moins la moitié des membres a fait son bilan.",
        )
    st.markdown(f"**Semaine {board.week} : qui a fait son bilan ?**")
    for member in board.members:
        done = "✅ bilan fait" if member.checked_in else "⏳ pas encore"
        role = " (capitaine)" if member.is_captain else ""
        you = " — vous" if member.is_you else ""
        st.markdown(f"- {plain(member.name)}{role}{you} : {done}")
    if board.paused:
        st.caption(f"{board.paused} foyer(s) en pause (consentement retiré) ne sont pas comptés.")
    if not board.has_captain:
        st.info("Votre collectif n'a plus de capitaine : un membre peut reprendre ce rôle.")
        if st.button("Devenir capitaine", key="team_claim"):
            attempt(
                lambda: claim_captaincy(db, household_id, board.team_id), "Vous êtes capitaine du collectif."
            )
    st.page_link("pages/teams.py", label="Classement des collectifs", icon="🏆")


def goals(board: TeamBoard) -> None:
    st.subheader("Objectifs communs")
    if not board.goals:
        st.caption("Aucun objectif commun pour l'instant : le capitaine peut en fixer un.")
    for goal in board.goals:
        target = f" → {plain(goal.alternative_name)}" if goal.alternative_name else ""
        st.markdown(f"**Quitter {plain(goal.service_name)}{target}**")
        text = f"{goal.switched} membre(s) sur {goal.declared} qui l'utilisaient sont passés à autre chose"
        if goal.alternative_name:
            text += f" ; {goal.chose_alternative} ont choisi {plain(goal.alternative_name)}"
        st.progress(goal.switched / goal.declared if goal.declared else 0.0, text=text + ".")


def progress(board: TeamBoard) -> None:
    st.subheader("Notre progression")
    if board.weekly:
        st.altair_chart(team_charts.score_by_week(board), width="stretch")
    if board.by_category:
        st.altair_chart(team_charts.switches_by_category(board), width="stretch")
    st.caption(team_charts.describe(board))
    if board.weekly:
        with st.expander("Les données du graphique"):
            st.dataframe(team_charts.weekly_table(board), hide_index=True, width="stretch")
    if board.top_alternatives:
        st.markdown("**Les alternatives préférées du collectif**")
        for name, chose, switched in board.top_alternatives:
            st.markdown(
                f"- {plain(name)} : choisie par {chose} foyer(s), dont {switched} passé(s) pour de bon"
            )


def leave(db: Database, household_id: int, board: TeamBoard) -> None:
    with st.expander("Quitter le collectif"):
        alone = len(board.members) <= 1
        st.markdown(
            "Vous êtes le dernier membre : en partant, le collectif sera dissous."
            if alone
            else "Vos coéquipiers ne verront plus vos bilans. Vous pourrez rejoindre un autre collectif."
        )
        sure = st.checkbox("Je veux quitter ce collectif", key="team_leave_confirm")
        if st.button("Quitter le collectif", key="team_leave", disabled=not sure):
            attempt(lambda: leave_team(db, household_id), "Vous avez quitté le collectif.")

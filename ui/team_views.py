"""Sections of the collective's page that every member sees, and the forms to join or create one."""

from __future__ import annotations

from functools import partial

import streamlit as st

from challenge.charts import teams
from challenge.core.i18n import _, lazy_gettext, ngettext
from challenge.core.vocabulary import Level
from challenge.infra.db import Database
from challenge.teams.captains import claim_captaincy
from challenge.teams.codes import invite_code_in_link
from challenge.teams.membership import MAX_DESCRIPTION, MAX_NAME, create_team, join_team, leave_team
from challenge.teams.requests import OpenTeam, ask_to_join
from challenge.teams.stats import TeamBoard
from ui import context, responsive
from ui.actions import attempt
from ui.format import percent, plain

SHARED_WITH_TEAMMATES = lazy_gettext(
    "En rejoignant un collectif, vous acceptez que ses membres voient le nom de votre foyer et "
    "**si vous avez fait votre bilan de la semaine**. Ils voient aussi les moyennes du collectif "
    "(score, services remplacés), jamais vos réponses ni votre score. Vous pouvez le quitter à tout moment."
)


app_url = context.app_url  # the team page's links (reminder, invitation) use it


def without_team(db: Database, household_id: int, territories: list[tuple[str, str]]) -> None:
    st.markdown(
        _(
            "Un collectif, ce sont quelques foyers (voisins, amis, collègues, association…) qui "
            "relèvent le défi ensemble : on voit qui a fait son bilan de la semaine, on se fixe des "
            "objectifs communs et on se compare aux autres collectifs."
        )
    )
    st.header(_("Rejoindre un collectif"))
    with st.form("team_join_form"):
        st.session_state.setdefault("team_join_code", invite_code_in_link(st.query_params.get("code")))
        code = st.text_input(
            _("Code d'invitation"), key="team_join_code", max_chars=32, placeholder=_("Ex. : K7M2QX")
        )
        st.caption(str(SHARED_WITH_TEAMMATES))
        if st.form_submit_button(
            _("Rejoindre le collectif"), type="primary", width="stretch", key="team_join"
        ):
            client = context.client_key()
            attempt(lambda: join_team(db, household_id, code, client), _("Bienvenue dans le collectif !"))
    st.header(_("Créer un collectif"))
    with st.form("team_create_form"):
        name = st.text_input(_("Nom du collectif"), key="team_create_name", max_chars=MAX_NAME)
        about = st.text_area(
            _("Présentation (facultatif)"), key="team_create_description", max_chars=MAX_DESCRIPTION
        )
        labels = dict(territories)
        level = st.radio(
            _("Territoire du collectif"),
            list(labels),
            format_func=labels.__getitem__,
            key="team_create_level",
        )
        st.caption(
            _("Le collectif apparaît dans le classement de ce territoire.")
            + " "
            + _("Vous en serez le capitaine et recevrez un code à partager.")
            + " "
            + str(SHARED_WITH_TEAMMATES)
        )
        if st.form_submit_button(_("Créer le collectif"), width="stretch", key="team_create"):
            attempt(
                lambda: create_team(db, household_id, name, about, level or Level.COMMUNE),
                _("Votre collectif est créé ! Partagez son code d'invitation."),
            )
    st.page_link("pages/teams.py", label=_("Voir le classement des collectifs"), icon="🏆")


def overview(db: Database, household_id: int, board: TeamBoard) -> None:
    st.header(plain(board.name))
    st.caption(f"{plain(board.territory)} · {plain(board.edition.name)}")
    if board.description:
        st.markdown(plain(board.description))
    with st.container(horizontal=True, gap="medium", key="team_metrics"):
        st.metric(_("Score moyen"), percent(board.score), width="content")
        st.metric(_("Bilans"), f"{board.checked_in} / {len(board.members)}", width="content")
        st.metric(
            _("Série"),
            _("{weeks} sem.").format(weeks=board.streak),
            width="content",
        )
    st.caption(
        _("Score moyen : moyenne des scores des membres.")
        + " "
        + _("Série : semaines d'affilée où au moins la moitié des membres a fait son bilan.")
    )
    st.markdown(_("**Semaine {week} : qui a fait son bilan ?**").format(week=board.week))
    for member in board.members:
        done = _("✅ bilan fait") if member.checked_in else _("⏳ pas encore")
        role = _(" (capitaine)") if member.is_captain else ""
        you = _(" — vous") if member.is_you else ""
        st.markdown(
            _("- {member}{role}{you} : {done}").format(
                member=plain(member.name), role=role, you=you, done=done
            )
        )
    if board.paused:
        st.caption(
            ngettext(
                "{count} foyer en pause (consentement retiré) n'est pas compté.",
                "{count} foyers en pause (consentement retiré) ne sont pas comptés.",
                board.paused,
            ).format(count=board.paused)
        )
    if not board.has_captain:
        st.info(_("Votre collectif n'a plus de capitaine : un membre peut reprendre ce rôle."))
        if st.button(_("Devenir capitaine"), key="team_claim"):
            attempt(
                lambda: claim_captaincy(db, household_id, board.team_id),
                _("Vous êtes capitaine du collectif."),
            )
    st.page_link("pages/teams.py", label=_("Classement des collectifs"), icon="🏆")


def goals(board: TeamBoard) -> None:
    st.header(_("Objectifs communs"))
    if not board.goals:
        st.caption(_("Aucun objectif commun pour l'instant : le capitaine peut en fixer un."))
    for goal in board.goals:
        target = f" → {plain(goal.alternative_name)}" if goal.alternative_name else ""
        st.markdown(
            _("**Quitter {service}{target}**").format(service=plain(goal.service_name), target=target)
        )
        text = ngettext(
            "{switched} membre sur {declared} qui l'utilisaient est passé à autre chose",
            "{switched} membres sur {declared} qui l'utilisaient sont passés à autre chose",
            goal.switched,
        ).format(switched=goal.switched, declared=goal.declared)
        if goal.alternative_name:
            on = len(goal.on_alternative)
            text += ngettext(
                " ; {count} membre utilise {alternative} (d'après les bilans)",
                " ; {count} membres utilisent {alternative} (d'après les bilans)",
                on,
            ).format(count=on, alternative=plain(goal.alternative_name))
        st.progress(goal.switched / goal.declared if goal.declared else 0.0, text=text + ".")
        if goal.on_alternative:
            st.caption(
                _("Déjà sur {alternative} : {names}").format(
                    alternative=plain(goal.alternative_name or ""),
                    names=", ".join(plain(name) for name in goal.on_alternative),
                )
            )


def progress(board: TeamBoard) -> None:
    st.header(_("Notre progression"))
    # Titles above the charts, not inside: at 360 px the second chart's hid under the first.
    if board.weekly:
        st.markdown(_("**Score moyen, semaine par semaine**"))
        responsive.vega_lite(teams.score_by_week_spec(board))
    if board.by_category:
        st.markdown(_("**Services remplacés, par catégorie**"))
        responsive.vega_lite(teams.switches_by_category_spec(board))
    st.caption(teams.describe(board))
    if board.weekly or board.by_category:
        with st.expander(_("Les données du graphique")):
            if board.weekly:
                responsive.table(teams.weekly_table(board), "team_weekly")
            if board.by_category:
                responsive.table(teams.category_table(board), "team_categories")
    if board.top_alternatives:
        st.markdown(_("**Les alternatives préférées du collectif**"))
        for name, chose, switched in board.top_alternatives:
            st.markdown(
                "- "
                + ngettext(
                    "{name} : choisie par {chose} foyer", "{name} : choisie par {chose} foyers", chose
                ).format(name=plain(name), chose=chose)
                + ngettext(
                    ", dont {switched} passé pour de bon", ", dont {switched} passés pour de bon", switched
                ).format(switched=switched)
            )


def leave(db: Database, household_id: int, board: TeamBoard) -> None:
    with st.expander(_("Quitter le collectif")):
        alone = len(board.members) <= 1
        st.markdown(
            _("Vous êtes le dernier membre : en partant, le collectif sera dissous.")
            if alone
            else _("Vos coéquipiers ne verront plus vos bilans. Vous pourrez rejoindre un autre collectif.")
        )
        sure = st.checkbox(_("Je veux quitter ce collectif"), key="team_leave_confirm")
        if st.button(_("Quitter le collectif"), key="team_leave", disabled=not sure):
            attempt(lambda: leave_team(db, household_id), _("Vous avez quitté le collectif."))


def open_teams(db: Database, household_id: int, teams: list[OpenTeam]) -> None:
    """The collectives near the household that welcome new members: one tap asks their captain."""
    st.header(_("Collectifs près de chez vous"))
    if not teams:
        st.caption(_("Aucun collectif ouvert autour de votre commune pour l'instant : créez le vôtre !"))
        return
    st.caption(str(SHARED_WITH_TEAMMATES))
    for team in teams:
        with st.container(border=True):
            members = ngettext("{count} foyer", "{count} foyers", team.members).format(count=team.members)
            about = f"  \n{plain(team.description)}" if team.description else ""
            st.markdown(f"**{plain(team.name)}** · {members}{about}")
            if team.asked:
                st.caption(_("Demande envoyée : le capitaine vous ouvrira la porte."))
            elif st.button(_("Demander à rejoindre"), key=f"team_ask_{team.team_id}", width="stretch"):
                attempt(
                    partial(ask_to_join, db, household_id, team.team_id),
                    _("Demande envoyée au capitaine du collectif."),
                )

"""My progress: score, streak, and how the household's switches evolve week by week."""

from __future__ import annotations

import streamlit as st

from challenge.charts import progress as charts
from challenge.core.i18n import _
from challenge.core.scoring import STATUS_LABELS, STATUS_WEIGHTS
from challenge.core.vocabulary import CheckinStatus
from challenge.views.household import my_challenge_view
from ui import context, responsive
from ui.carryover_prompt import offer_prompt
from ui.engagement_views import badges_section, followup_banner, past_editions_section
from ui.format import percent, plain
from ui.frame import next_step
from ui.household_catalogue import retired_notice
from ui.household_members import member_places
from ui.reference import cached_services

identity = context.household_identity(members_too=True)  # a member's account reads it only
view = my_challenge_view(context.database(), identity.household_id, context.today())
progress, owner = view.progress, identity.owns_household
if owner:
    offer_prompt(identity, view.offer)  # a new edition started from the previous one: go on, or start afresh?
names = {s.slug: s.name for s in cached_services()}

st.title(_("Mon défi"))
st.caption(
    plain(identity.household_name or "") + (f" · {plain(progress.edition.name)}" if progress.edition else "")
)
if progress.edition is None:
    st.info(_("Votre foyer ne participe à aucune édition en cours. Vos choix restent enregistrés."))
if owner:
    followup_banner(view.followup)  # "does it last?", months after an edition
    retired_notice(view.retired)  # a chosen alternative closed: pick another
if not view.consent_given:  # nothing it answers counts: say so rather than thank it
    st.warning(
        _(
            "Vous avez retiré votre consentement : vos réponses ne sont plus enregistrées ni comptées "
            "dans le défi. Vous pouvez le donner à nouveau dans « Mes données »."
        )
    )
    if owner:
        st.page_link("pages/my_data.py", label=_("Mes données"), icon="🗂️")
    st.stop()
if not progress.baseline:
    st.info(
        _("Première étape : déclarez les services GAFAM de votre foyer et choisissez leurs alternatives.")
    )
    if owner:
        next_step("pages/services.py", _("Déclarer mes services"), "progress_services")
    st.stop()

if progress.edition is not None and progress.current_week is not None:
    if progress.checked_in_this_week:
        st.success(_("Bilan de la semaine {week} fait. Merci !").format(week=progress.current_week))
    else:
        st.warning(
            _("Le bilan de la semaine {week} vous attend (1 minute).").format(week=progress.current_week)
        )
        next_step("pages/checkin.py", _("Faire mon bilan"), "progress_checkin")

with st.container(horizontal=True, gap="medium", key="progress_metrics"):
    st.metric(
        _("Score"),
        percent(progress.score),
        width="content",
    )
    st.metric(_("Remplacés"), f"{progress.switched} / {len(progress.baseline)}", width="content")
    st.metric(
        _("Série"),
        _("{weeks} sem.").format(weeks=progress.streak),
        width="content",
    )
st.caption(
    _("Score : part de vos services GAFAM quittés (voir « Comment le score est-il calculé ? »).")
    + " "
    + _("Série : semaines de bilan d'affilée.")
)

if progress.weekly:
    weekly = charts.weekly_table(progress)  # drawn, then shown as a table
    st.markdown(_("**Votre score semaine après semaine**"))
    responsive.vega_lite(charts.score_by_week_spec(progress, weekly))
    if progress.by_category:
        st.markdown(_("**Services remplacés, par catégorie**"))
        responsive.vega_lite(charts.switches_by_category_spec(progress))
    st.caption(charts.describe(progress))
    with st.expander(_("Les données du graphique")):
        responsive.table(weekly, "progress_weekly")

badges_section(view.badges)

st.header(_("Où en est chaque service ?"))
for slug in progress.baseline:
    st.markdown(
        _("- **{service}** : {status}").format(
            service=plain(names.get(slug, slug)),
            status=STATUS_LABELS[progress.latest.get(slug, CheckinStatus.STILL)],
        )
        + member_places(view.who.get(slug, []), names.get(slug, slug))  # who is where, if answered one by one
    )

past_editions_section(view.past)  # history kept across editions

with st.expander(_("Comment le score est-il calculé ?")):
    weights = "\n".join(
        _("- {status} : {weight}").format(status=STATUS_LABELS[s], weight=percent(100 * w))
        for s, w in STATUS_WEIGHTS.items()
    )
    st.markdown(
        _(
            "Pour chaque service GAFAM déclaré, on retient **votre réponse la plus récente** "
            "et on compte la part du service que vous avez quittée :"
        )
        + "\n\n"
        + weights
        + "\n\n"
        + _(
            "Le score est la moyenne sur tous vos services déclarés (un service jamais renseigné "
            "compte 0 %). **Remplacés** compte les services passés à l'alternative ou abandonnés. "
            "La **série** compte les semaines d'affilée avec un bilan, jusqu'à cette semaine."
        )
    )

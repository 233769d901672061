"""My progress: score, streak, and how the household's switches evolve week by week."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from challenge import charts
from challenge.progress import household_progress
from challenge.scoring import STATUS_LABELS, STATUS_WEIGHTS
from ui import context
from ui.format import percent, plain
from ui.reference import cached_services

identity = context.household_identity()
with context.database().read() as session:
    progress = household_progress(session, identity.household_id, context.today())
names = {s.slug: s.name for s in cached_services()}

st.title("Mon défi")
st.caption(
    plain(identity.household_name or "") + (f" · {plain(progress.edition.name)}" if progress.edition else "")
)
if progress.edition is None:
    st.info("Votre foyer ne participe à aucune édition en cours. Vos choix restent enregistrés.")
if not progress.baseline:
    st.info("Première étape : déclarez les services GAFAM de votre foyer et choisissez leurs alternatives.")
    st.page_link("pages/services.py", label="Déclarer mes services", icon="🔁")
    st.stop()

if progress.edition is not None and progress.current_week is not None:
    if progress.checked_in_this_week:
        st.success(f"Bilan de la semaine {progress.current_week} fait. Merci !")
    else:
        st.warning(f"Le bilan de la semaine {progress.current_week} vous attend (1 minute).")
        st.page_link("pages/checkin.py", label="Faire mon bilan", icon="✅")

with st.container(horizontal=True, gap="medium", key="progress_metrics"):
    st.metric(
        "Score",
        percent(progress.score),
        width="content",
        help="Part de vos services GAFAM quittés, voir « Comment le score est-il calculé ? ».",
    )
    st.metric("Remplacés", f"{progress.switched} / {len(progress.baseline)}", width="content")
    st.metric("Série", f"{progress.streak} sem.", width="content", help="Semaines de bilan d'affilée.")

if progress.weekly:
    st.altair_chart(charts.score_by_week(progress), width="stretch")
    if progress.by_category:
        st.altair_chart(charts.switches_by_category(progress), width="stretch")
    st.caption(charts.describe(progress))
    with st.expander("Les données du graphique"):
        st.dataframe(
            pd.DataFrame(
                [
                    {"Semaine": p.week, "Score (%)": p.score, "Services remplacés": p.switched}
                    for p in progress.weekly
                ]
            ),
            hide_index=True,
            width="stretch",
        )

st.subheader("Où en est chaque service ?")
for slug in progress.baseline:
    st.markdown(
        f"- **{names.get(slug, slug)}** : {STATUS_LABELS[progress.latest.get(slug, 'still')].lower()}"
    )

with st.expander("Comment le score est-il calculé ?"):
    weights = "\n".join(
        f"- {STATUS_LABELS[s]} : {w:.0%}".replace("%", " %") for s, w in STATUS_WEIGHTS.items()
    )
    st.markdown(
        "Pour chaque service GAFAM déclaré, on retient **votre réponse la plus récente** "
        "et on compte la part du service que vous avez quittée :\n\n" + weights + "\n\n"
        "Le score est la moyenne sur tous vos services déclarés (un service jamais renseigné "
        "compte 0 %). **Remplacés** compte les services passés à l'alternative ou abandonnés. "
        "La **série** compte les semaines d'affilée avec un bilan, jusqu'à cette semaine."
    )

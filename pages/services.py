"""My services: the Big Tech services the household uses and the alternative chosen for each."""

from __future__ import annotations

import streamlit as st

from challenge import labels
from challenge.catalog import alternatives_by_service
from challenge.errors import ChallengeError
from challenge.households import profile_of, save_service_plan, service_plan
from ui import context
from ui.format import plain
from ui.frame import flash
from ui.reference import cached_services

identity = context.household_identity()
db = context.database()
with db.read() as session:
    profile = profile_of(session, identity.household_id)
    plan = service_plan(session, identity.household_id)
    options = alternatives_by_service(session, profile.place)
services = {s.slug: s for s in cached_services() if options.get(s.slug)}

st.title("Mes services")
st.markdown(
    f"Quels services des GAFAM votre foyer utilise-t-il ? Pour chacun, choisissez une "
    f"alternative parmi celles disponibles à **{plain(profile.place.name)}**. "
    "Vous pourrez changer d'avis à tout moment."
)

selected = st.multiselect(
    "Services utilisés par votre foyer",
    list(services),
    default=[s for s in plan if s in services],
    format_func=lambda slug: f"{services[slug].name} ({services[slug].category_name})",
    key="services_selected",
    placeholder="Ex. : Gmail, WhatsApp, Amazon…",
    select_all=False,
)

chosen: dict[str, list[str]] = {}
for slug in selected:
    service, alternatives = services[slug], {a.slug: a for a in options[slug]}
    with st.container(border=True):
        st.markdown(f"**{plain(service.name)}** · {plain(service.company)}")
        chosen[slug] = st.multiselect(
            f"Alternative(s) à {service.name}",
            list(alternatives),
            default=[a for a in plan.get(slug, []) if a in alternatives],
            key=f"services_alternatives_{slug}",
            format_func=lambda a, alts=alternatives: (
                f"{alts[a].name} · {labels.EFFORT[alts[a].effort].lower()}"
            ),
            placeholder="Choisissez une ou plusieurs alternatives",
            max_selections=3,
            select_all=False,
        )
        with st.expander(f"Comparer les {len(alternatives)} alternatives"):
            for alt in alternatives.values():
                ethics = ", ".join(labels.ETHICS[e] for e in alt.ethics)
                st.markdown(
                    f"**{plain(alt.name)}** — {plain(alt.description)}  \n"
                    f"{labels.KIND[alt.kind]} · effort {labels.EFFORT[alt.effort].lower()} · "
                    f"{labels.COST[alt.cost].lower()}" + (f" · {ethics}" if ethics else "")
                )

if selected and not all(chosen.values()):
    st.caption(
        "Astuce : un service sans alternative choisie compte quand même dans votre défi "
        "(vous pouvez aussi simplement l'abandonner)."
    )
if st.button("Enregistrer mes choix", type="primary", key="services_save", width="stretch"):
    try:
        save_service_plan(db, identity.household_id, chosen)
    except ChallengeError as error:
        st.error(error.message)
    else:
        flash(f"C'est noté : {len(chosen)} service(s) à remplacer. Rendez-vous au bilan de la semaine !")
        st.rerun()

"""Console: the audit trail, filtered by family of action, actor, target and dates, page by page."""

from __future__ import annotations

import streamlit as st

from challenge.accounts import audit
from challenge.core.i18n import _
from challenge.views.console import audit_page
from ui import context
from ui.console import back_link, organiser_identity
from ui.console_audit import entry_card

PER_PAGE = 25

identity = organiser_identity()
back_link()
st.title(_("Journal d'audit"))
st.caption(_("Chaque action d'administration : qui, quoi, quand, avant et après. Rien ne s'y efface."))
db = context.database()

with st.expander(_("Filtres"), expanded=True):
    family = st.selectbox(
        _("Famille d'actions"), ["", *audit.ACTION_FAMILIES], key="console_audit_family",
        format_func=lambda f: f or _("toutes"),
    )  # fmt: skip
    actor = st.text_input(_("Auteur (partie de l'e-mail)"), key="console_audit_actor")
    left, right = st.columns(2)
    target_type = left.text_input(_("Type de cible"), key="console_audit_target_type")
    target_id = right.text_input(_("Identifiant de la cible"), key="console_audit_target")
    since = left.date_input(_("Depuis le"), value=None, key="console_audit_since", format="DD/MM/YYYY")
    until = right.date_input(_("Jusqu'au"), value=None, key="console_audit_until", format="DD/MM/YYYY")

where = audit.AuditFilter(
    action_prefix=f"{family}." if family else None,
    actor=actor or None,
    target_type=target_type.strip() or None,
    target_id=target_id.strip() or None,
    since=since if not isinstance(since, tuple) else None,
    until=until if not isinstance(until, tuple) else None,
)
shown = audit_page(db, identity, where, int(st.session_state.get("console_audit_page") or 1), PER_PAGE)
if shown.pages > 1:
    st.number_input(_("Page"), 1, shown.pages, shown.page, key="console_audit_page")
st.caption(
    _("{total} entrées · page {page} sur {pages}").format(
        total=shown.total, page=shown.page, pages=shown.pages
    )
)
if not shown.entries:
    st.info(_("Aucune entrée ne correspond à ces filtres."))
for entry in shown.entries:
    entry_card(entry)

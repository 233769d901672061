"""Console: the audit trail, filtered by family of action, actor, target and dates, page by page."""

from __future__ import annotations

import math

import streamlit as st

from challenge.accounts import audit
from challenge.accounts.organisers import scope_of
from challenge.core.i18n import _
from ui import context
from ui.console import back_link, organiser_identity
from ui.console_audit import entry_card

PER_PAGE = 25

identity = organiser_identity()
back_link()
st.title(_("Journal d'audit"))
st.caption(_("Chaque action d'administration : qui, quoi, quand, avant et après. Rien ne s'y efface."))
db = context.database()
with db.read() as session:
    scope = scope_of(session, identity.account_id)

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
    edition_ids=None if scope.is_global else scope.edition_ids,
)
total = audit.list_entries(db, where, limit=1)[1]
pages = max(1, math.ceil(total / PER_PAGE))
page = st.number_input(_("Page"), 1, pages, 1, key="console_audit_page") if pages > 1 else 1
entries, total = audit.list_entries(db, where, limit=PER_PAGE, offset=(int(page) - 1) * PER_PAGE)
st.caption(_("{total} entrées · page {page} sur {pages}").format(total=total, page=page, pages=pages))
if not entries:
    st.info(_("Aucune entrée ne correspond à ces filtres."))
for entry in entries:
    entry_card(entry)

"""How the console shows one audit entry: who, what, when, and what changed, readably."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from challenge.accounts.audit import AuditRecord
from challenge.core.i18n import _
from ui.format import plain


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return str(value)


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, str, str]]:
    """(field, before, after) for every field that differs (all fields of a creation or deletion)."""
    before, after = before or {}, after or {}
    fields = list(dict.fromkeys([*before, *after]))
    return [(f, _shown(before.get(f)), _shown(after.get(f))) for f in fields if before.get(f) != after.get(f)]


def entry_card(entry: AuditRecord) -> None:
    with st.container(border=True, key=f"console_audit_entry_{entry.id}"):
        when = entry.at.strftime("%d/%m/%Y %H:%M:%S")
        st.markdown(f"**{plain(entry.action)}** · {plain(entry.target_type)} {plain(entry.target_id)}")
        st.caption(_("{when} (UTC) · par {actor}").format(when=when, actor=plain(entry.actor_label)))
        rows = changes(entry.before, entry.after)
        if rows:
            table = pd.DataFrame(rows, columns=[_("Champ"), _("Avant"), _("Après")])
            st.dataframe(table, hide_index=True, width="stretch")

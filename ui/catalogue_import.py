"""Console: how an import preview reads (added, changed field by field, retired)."""

from __future__ import annotations

import streamlit as st

from challenge.catalogue.diff import CatalogueDiff, EntryChange
from challenge.core.i18n import _, lazy_gettext, ngettext
from ui.format import plain

KIND_NAMES = {
    "category": lazy_gettext("catégorie"),
    "service": lazy_gettext("service"),
    "alternative": lazy_gettext("alternative"),
}


def _value(value: object) -> str:
    return plain(str(value)) if value not in (None, "", []) else "∅"


def _line(change: EntryChange) -> str:
    name = change.after.get("name") or change.slug
    return f"{KIND_NAMES[change.kind]} **{plain(str(name))}** (`{change.slug}`)"


def show_preview(changes: CatalogueDiff) -> None:
    """The preview of an import, in the order an organiser checks it."""
    if changes.is_empty:
        st.success(_("Ces fichiers ne changent rien au catalogue."))
        return
    added, retired = changes.of("added"), changes.of("retired")
    changed = [c for c in changes.of("changed") if not c.is_reorder_only]
    reordered = [c for c in changes.of("changed") if c.is_reorder_only]
    counts = [
        ngettext("**{count}** entrée ajoutée", "**{count}** entrées ajoutées", len(added)),
        ngettext("**{count}** modifiée", "**{count}** modifiées", len(changed)),
        ngettext("**{count}** retirée", "**{count}** retirées", len(retired)),
    ]
    numbers = [len(added), len(changed), len(retired)]
    st.markdown(" · ".join(text.format(count=n) for text, n in zip(counts, numbers, strict=True)))
    for change in added:
        st.markdown("➕ " + _line(change))
    for change in changed:
        fields = "\n".join(
            f"  - {f.field} : {_value(f.before)} → {_value(f.after)}"
            for f in change.fields
            if f.field != "rank"
        )
        st.markdown("✏️ " + _line(change) + "\n" + fields)
    for change in retired:
        st.markdown("🗄️ " + _line(change))
    if reordered:
        moved = ngettext(
            "{count} entrée change seulement de place.",
            "{count} entrées changent seulement de place.",
            len(reordered),
        )
        st.caption(moved.format(count=len(reordered)))

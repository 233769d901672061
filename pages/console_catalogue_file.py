"""Console: export the catalogue (YAML files of data/, CSV) and import files after a preview."""

from __future__ import annotations

import streamlit as st

from challenge.core.errors import ChallengeError
from challenge.core.i18n import _
from challenge.curation.exchange import (
    FILES,
    apply_import,
    export_csv,
    export_yaml,
    preview_import,
    record_export,
)
from challenge.views.console import catalogue_snapshot
from ui import context
from ui.actions import attempt
from ui.catalogue_import import show_preview
from ui.console import back_link, organiser_identity
from ui.frame import show_flash

identity = organiser_identity()
back_link()
st.title(_("Import et export du catalogue"))
show_flash()
db = context.database()
snapshot = catalogue_snapshot(db)

st.header(_("Exporter"))
st.caption(_("Les trois fichiers YAML ont le format de data/catalogue ; le CSV s'ouvre dans un tableur."))
exports = {**export_yaml(snapshot), "alternatives.csv": export_csv(snapshot)}
with st.container(horizontal=True):
    for name, text in exports.items():
        st.download_button(
            name, text.encode("utf-8"), file_name=name, key=f"console_catalogue_file_download_{name}",
            mime="text/csv" if name.endswith(".csv") else "application/yaml",
            on_click=lambda n=name: record_export(db, identity, n),
        )  # fmt: skip

st.header(_("Importer"))
st.caption(
    _(
        "Déposez un ou plusieurs des fichiers {names} ; ceux que vous ne déposez pas restent tels quels."
    ).format(names=", ".join(FILES))
)
uploads = st.file_uploader(
    _("Fichiers du catalogue"), type=["yaml", "yml"], accept_multiple_files=True,
    key="console_catalogue_file_upload",
)  # fmt: skip
if uploads:
    files = {upload.name.replace(".yml", ".yaml"): upload.getvalue() for upload in uploads}
    try:
        preview = preview_import(db, files)
    except ChallengeError as error:
        st.error(_("Import refusé, rien n'a été modifié :") + "\n\n" + error.message.replace("\n", "  \n"))
        st.stop()
    show_preview(preview.changes)
    if not preview.changes.is_empty and st.button(
        _("Appliquer ces changements"), type="primary", key="console_catalogue_file_apply"
    ):
        attempt(lambda: apply_import(db, identity, preview), _("Import appliqué."))

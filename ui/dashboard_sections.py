"""Sections of the territory dashboard below the headline figures."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st
from babel.support import LazyProxy

from challenge.accounts import audit
from challenge.charts import dashboards, text
from challenge.core.i18n import _, lazy_gettext, ngettext
from challenge.core.vocabulary import Level
from challenge.statistics import exports
from challenge.statistics.comparison import EditionFigures
from challenge.statistics.dashboards import Dashboard
from challenge.statistics.durability import Durability
from challenge.statistics.secrecy import SECRET_LABEL
from challenge.territories.outlines import outlines_for
from challenge.territories.tree import TerritoryTree
from ui import context, responsive
from ui.format import number, plain

LEVEL_LABELS: dict[str, LazyProxy] = {
    Level.DEPARTEMENT: lazy_gettext("Par département"),
    Level.EPCI: lazy_gettext("Par intercommunalité"),
    Level.COMMUNE: lazy_gettext("Par commune"),
}


def show(value: float | int | None, suffix: str = "") -> str:
    return SECRET_LABEL if value is None else f"{number(value)}{suffix}"


def households_count(value: float | int | None) -> int:
    """The number that chooses singular or plural; a secret cell reads as a plural ("secret foyers")."""
    return 2 if value is None else int(value)


def breakdown(board: Dashboard, tree: TerritoryTree) -> None:
    if not board.breakdown:
        return
    level = tree.nodes[board.breakdown[0].key].level
    st.header(str(LEVEL_LABELS.get(level, _("Par territoire"))))
    table = pd.DataFrame(
        [
            (r.name, show(r.registered), show(r.active), show(r.checkin_rate, " %"), show(r.switched))
            for r in board.breakdown
        ],
        columns=[_("Territoire"), _("Inscrits"), _("Actifs"), _("Taux de bilan"), _("Ont remplacé")],
    )
    responsive.table(table, "dashboard_breakdown", fold_after=12)
    published = [(r.name, r.switched) for r in board.breakdown]
    if any(v is not None for _name, v in published):
        responsive.vega_lite(
            dashboards.bars_spec(published, _("Foyers ayant remplacé au moins un service"), _("Territoire"))
        )
        st.caption(text.describe_bars(published))
    keys = [(r.key, tree.nodes[r.key].level, tree.nodes[r.key].code) for r in board.breakdown]
    with context.database().read() as session:
        outlines = outlines_for(session, keys)
    if outlines:
        for outline in outlines:
            outline["name"] = tree.nodes[outline["key"]].name
        values = {r.key: r.switched for r in board.breakdown}
        st.altair_chart(
            dashboards.choropleth(outlines, values, _("Carte : foyers ayant remplacé un service")),
            width="stretch",
        )
        st.caption(_("La carte reprend les chiffres du tableau ci-dessus."))


def switches(board: Dashboard) -> None:
    st.header(_("Ce qui change"))
    if board.by_category:
        responsive.bars(
            board.by_category,
            _("Foyers ayant remplacé un service, par catégorie"),
            _("Catégorie"),
            "dashboard_categories",
        )
    with st.expander(_("Par service des GAFAM quitté")):
        responsive.table(
            pd.DataFrame([(n, show(v)) for n, v in board.by_service], columns=[_("Service"), _("Foyers")]),
            "dashboard_by_service",
        )
    st.header(_("Alternatives adoptées"))
    for adoption in board.alternatives:
        badges = (" · :green-badge[{}]".format(_("locale")) if adoption.is_local else "") + (
            " · :blue-badge[ESS]" if adoption.is_ess else ""
        )
        st.markdown(
            "- "
            + ngettext(
                "**{name}** : {count} foyer{badges}",
                "**{name}** : {count} foyers{badges}",
                households_count(adoption.households),
            ).format(name=plain(adoption.name), count=show(adoption.households), badges=badges)
        )
    _help(board)
    q = board.quantities
    st.header(_("Quantités déclarées"))
    st.markdown(
        _(
            "- Covoiturage : **{km}**\n"
            "- Dépensé auprès de plateformes locales : **{euros}**\n"
            "- Objets empruntés : **{objects}**"
        ).format(km=show(q["km"], " km"), euros=show(q["euros"], " €"), objects=show(q["objects"]))
    )


def _audit_export(board: Dashboard, file_format: str) -> None:
    """Every download of a dashboard's figures goes to the audit trail (who, which territory, weeks)."""
    scope = board.scope
    audit.record_export(
        context.database(), context.identity(), "dashboard", board.territory.key, scope.edition.id,
        format=file_format, weeks=f"{scope.week_from}-{scope.week_to}",
    )  # fmt: skip


def downloads(
    board: Dashboard, comparison: Sequence[EditionFigures] = (), durability: Sequence[Durability] = ()
) -> None:
    """Every section shown, in one workbook (a sheet per section) or a zip of CSV files."""
    st.header(_("Télécharger ces chiffres"))
    sections = exports.dashboard_sections(board, context.today(), comparison, durability)
    name = (
        f"zero-gafam-{board.territory.key.replace(':', '-')}-s{board.scope.week_from}-{board.scope.week_to}"
    )
    left, right = st.columns(2)
    left.download_button(
        _("Classeur Excel (un onglet par section)"),
        exports.to_xlsx_book(sections),
        f"{name}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="dashboard_xlsx",
        width="stretch",
        on_click=_audit_export,
        args=(board, "xlsx"),
    )
    right.download_button(
        _("Fichiers CSV (zip, un par section)"),
        exports.to_csv_zip(sections),
        f"{name}.zip",
        "application/zip",
        key="dashboard_csv",
        width="stretch",
        on_click=_audit_export,
        args=(board, "csv"),
    )
    st.caption(
        _(
            "Sous {licence}. Les fichiers contiennent exactement ce qui est affiché, section par "
            "section, avec l'édition, les semaines, la date d'extraction et la règle de secret appliquée."
        ).format(licence=exports.LICENCE)
    )


def _help(board: Dashboard) -> None:
    """Help to switch: households that asked, and were helped (protected counts)."""
    st.header(_("Aide pour changer"))
    st.markdown(
        _("- Foyers ayant demandé de l'aide : **{asked}**\n- Foyers aidés : **{helped}**").format(
            asked=show(board.help.get("asked", 0)), helped=show(board.help.get("helped", 0))
        )
    )

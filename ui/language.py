"""The language of each script run, and the compact switch shown on every page."""

from __future__ import annotations

import html

import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.core import i18n
from challenge.core.addresses import switch_href
from challenge.core.i18n import _
from ui.frame import link_row


def apply_locale(identity: Identity | None) -> str:
    """Render this run in the account's language, else the visitor's cookie (web.language)."""
    if identity is not None:
        return i18n.set_locale(identity.locale)
    return i18n.set_locale(str(st.user.get("lang") or "") or None)


def language_switch_html(url_path: str, explicit: bool = False) -> str:
    """A link to the other language, written in that language (lang/hreflang for screen readers).

    `explicit`: a sentence ("Use the app in English") rather than the language's name. Without
    it (the navigation row), phones show the language's code ("EN") and screen readers its name.
    """
    other = "en" if i18n.current_locale() == "fr" else "fr"
    name = i18n.LANGUAGE_NAMES[other]
    label = html.escape(name)
    if explicit:
        with i18n.use_locale(other):
            label = html.escape(
                _("Utiliser l'application en anglais")
                if other == "en"
                else _("Utiliser l'application en français")
            )
    else:
        short = f'<span class="dzg-short" aria-hidden="true">{other.upper()}</span>'
        label = f'<span class="dzg-long">{label}</span>{short}'
    href = html.escape(switch_href(other, f"/{url_path}"))
    return f'<a class="dzg-lang" href="{href}" target="_self" lang="{other}" hreflang="{other}">{label}</a>'


def language_choice(identity: Identity, url_path: str) -> None:
    """The account page's language setting, remembered in the account for every device.

    A link through /langue (web.language) rather than a widget: the page reloads, so that the
    document's `<html lang>` changes with the text, as screen readers need.
    """
    st.header(_("Langue"))
    current = i18n.normalise(identity.locale)
    st.markdown(
        _("Langue de l'application : **{language}**. Votre choix est gardé dans votre compte.").format(
            language=i18n.LANGUAGE_NAMES[current]
        )
    )
    link_row(language_switch_html(url_path, explicit=True))

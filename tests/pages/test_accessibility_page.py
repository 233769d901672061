"""The accessibility statement (RGAA 4.1 format): public, complete, linked from every page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from challenge.editions.calendar import EditionView
from challenge.households.profile import save_service_plan
from challenge.infra.db import Database
from tests.conftest import make_member
from tests.pages.conftest import texts

PACKAGE_JSON = Path(__file__).resolve().parents[2] / "package.json"
RGAA_SECTIONS = [
    "Déclaration d'accessibilité",
    "État de conformité",
    "partiellement conforme",
    "Résultats des tests",
    "Non-conformités",
    "Dérogations pour charge disproportionnée",
    "Technologies utilisées",
    "Environnement de test",
    "Retour d'information et contact",
    "Voies de recours",
    "Défenseur des droits",
]


def test_statement_is_public_and_has_every_rgaa_section(
    open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DZG_CONTACT_EMAIL", "accessibilite@apes-hdf.org")
    page = texts(open_app(page="pages/accessibility.py"))
    for section in RGAA_SECTIONS:
        assert section in page, section
    assert "accessibilite@apes-hdf.org" in page


def test_statement_names_the_axe_core_version_the_tests_run() -> None:
    pinned = json.loads(PACKAGE_JSON.read_text())["devDependencies"]["axe-core"]
    source = (PACKAGE_JSON.parent / "pages" / "accessibility.py").read_text()  # a page runs on import
    assert re.search(r'^AXE_VERSION = "([^"]+)"', source, re.MULTILINE).group(1) == pinned


def test_pages_link_to_the_statement_in_their_footer(
    open_app: Callable[..., AppTest], db: Database, edition: EditionView
) -> None:
    member = make_member(db, "lien-accessibilite@exemple.fr")
    save_service_plan(db, member.household_id, {"gmail": ["proton-mail"]})
    # The follow-up page stops early (no follow-up open): its footer is there all the same.
    pages = ("pages/account.py", "pages/followup.py")
    for at in (open_app(), open_app(member), *(open_app(member, page) for page in pages)):
        html = "".join(str(e.proto.body) for e in at.get("html"))
        assert 'href="/accessibilite"' in html

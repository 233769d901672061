"""Every documented address opens the page it names for each role that may see it, a gate otherwise.

Streamlit serves the default page only at `/`: the role's first page must also answer at its
own address (`/territoire` for a council agent without a household, `/defi` for a household).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import streamlit as st

from challenge.accounts.sessions import Identity
from challenge.core.i18n import use_locale
from challenge.core.vocabulary import Role
from ui import navigation

# The addresses the README and the app's own links give, and the page file each one opens.
DOCUMENTED = {
    "defi": "pages/progress.py",
    "bilan": "pages/checkin.py",
    "services": "pages/services.py",
    "collectif": "pages/team.py",
    "classement": "pages/teams.py",
    "suivi": "pages/followup.py",
    "compte": "pages/account.py",
    "mes-donnees": "pages/my_data.py",
    "catalogue": "pages/catalogue.py",
    "resultats": "pages/results.py",
    "territoire": "pages/dashboard.py",
    "console": "pages/console.py",
    "confidentialite": "pages/privacy.py",
    "accessibilite": "pages/accessibility.py",
}
HOUSEHOLD_ONLY = {"defi", "bilan", "services", "collectif", "classement", "suivi"}
ACCOUNT_ONLY = {"compte", "mes-donnees"}


class _Recorded:
    def __init__(self, page: Any, *, url_path: str | None = None, **options: Any) -> None:
        self.page = page if isinstance(page, str) else None  # None: a gate (a function)
        self.url_path = url_path if url_path is not None else Path(str(page)).stem
        self.default = bool(options.get("default"))
        self.title = str(options.get("title"))


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(st, "Page", _Recorded)


def _identity(household: bool, *roles: str) -> Identity:
    return Identity(1, "a@exemple.fr", "h", household_id=7 if household else None, roles=frozenset(roles))


ROLES = {
    "visitor": None,
    "newcomer": _identity(False),
    "household": _identity(True),
    "council agent": _identity(False, Role.COUNCIL),
    "council agent with a household": _identity(True, Role.COUNCIL),
    "organiser": _identity(False, Role.ORGANISER),
}


def _entitled(role: str, address: str) -> bool:
    identity = ROLES[role]
    if identity is None:
        return address not in HOUSEHOLD_ONLY | ACCOUNT_ONLY | {"territoire", "console"}
    if address in HOUSEHOLD_ONLY:
        return identity.has_household
    if address == "territoire":
        return bool(identity.roles & {Role.COUNCIL, Role.ORGANISER})
    if address == "console":
        return identity.has_role(Role.ORGANISER)
    return True


@pytest.mark.usefixtures("recorded")
@pytest.mark.parametrize("role", list(ROLES))
def test_every_documented_address_answers_for_every_role(role: str) -> None:
    pages: list[Any] = navigation.build_pages(ROLES[role])
    by_address = {page.url_path: page for page in pages if not page.default}
    for address, script in DOCUMENTED.items():
        assert address in by_address, f"/{address} is not found for the {role}"
        expected = script if _entitled(role, address) else None  # None: a polite gate
        if role == "newcomer" and address in HOUSEHOLD_ONLY:
            expected = None  # "describe your household first"
        assert by_address[address].page == expected, (role, address)
    (default,) = [page for page in pages if page.default]
    assert default.url_path not in DOCUMENTED  # its documented address is an alias, not itself


@pytest.mark.usefixtures("recorded")
def test_the_first_page_of_a_council_agent_is_its_territory_at_both_addresses() -> None:
    pages: list[Any] = navigation.build_pages(ROLES["council agent"])
    (default,) = [page for page in pages if page.default]
    assert default.page == "pages/dashboard.py"
    assert [page.page for page in pages if page.url_path == "territoire"] == ["pages/dashboard.py"]


@pytest.mark.usefixtures("recorded")
def test_pages_are_built_once_per_language_and_role_and_each_run_gets_its_own_copies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(navigation, "_built", {})
    another = Identity(2, "b@exemple.fr", "h2", household_id=8, roles=frozenset())  # same role
    with use_locale("fr"):
        first, second = navigation.pages_for(ROLES["household"]), navigation.pages_for(another)
    assert [(p.url_path, p.title) for p in first] == [(p.url_path, p.title) for p in second]
    # st.navigation marks the page a run may run: concurrent sessions never share one object.
    assert not {id(p) for p in first} & {id(p) for p in second}
    assert len(navigation._built) == 1
    with use_locale("en"):
        english = navigation.pages_for(another)
    assert "My challenge" in {p.title for p in english}
    assert len(navigation._built) == 2
    navigation.pages_for(ROLES["organiser"])
    assert len(navigation._built) == 3

"""Shared fixtures: a migrated database with reference data, on SQLite and (if asked) PostgreSQL.

Set DZG_TEST_POSTGRES_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run every
database test on PostgreSQL too; each run creates and drops its own database on that server.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from challenge.accounts import credentials, passwords, sessions
from challenge.cli.reference import load_reference
from challenge.editions.calendar import EditionView
from challenge.households.profile import set_up_household
from challenge.infra import migrate
from challenge.infra.db import Database, shared_database
from challenge.models import Account, Base, utcnow
from tests.support.editions import make_edition
from tests.support.households import join_before_start

POSTGRES_URL = os.environ.get("DZG_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if POSTGRES_URL else [])
REFERENCE_TABLES = {
    "region",
    "departement",
    "epci",
    "commune",
    "category",
    "bigtech_service",
    "alternative",
    "alternative_replacement",
    "alternative_area",
}
PASSWORD = "une phrase de passe solide"
LILLE, AMIENS = "59350", "80021"

# The longest modules, started first. `make test` runs `--dist loadscope --no-loadscope-reorder`:
# xdist hands scopes (modules, classes) to whichever worker is free, in collection order, so a
# long scope left for the end would run alone on one worker while the other one idles. The
# phone walk is one class per role (~45-135 s each); then the rest in collection order, whose
# first directory (tests/e2e, the browser tests) holds the next longest ones.
LONGEST_FIRST = ("test_phone_and_accessibility.py", "test_concurrent_writers.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Move the LONGEST_FIRST modules to the front of the run (a stable reordering)."""
    rank = {name: index for index, name in enumerate(LONGEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(LONGEST_FIRST)))


@contextlib.contextmanager
def _postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database on the configured server, dropped afterwards."""
    assert POSTGRES_URL
    server = make_url(POSTGRES_URL)
    name = f"dzg_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        shared_database.cache_clear()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextlib.contextmanager
def empty_database(backend: str, folder: str) -> Iterator[str]:
    """The URL of a new empty database of `backend`."""
    if backend == "postgresql":
        with _postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{folder}/{uuid.uuid4().hex[:8]}.sqlite3"


# The app hashes with argon2id's recommended parameters (64 MiB, 3 passes: ~0.1 s of CPU each).
# The suite hashes and verifies thousands of passwords in its own processes: there, the same
# algorithm and code paths run with the smallest parameters. App servers started by tests keep
# the real ones; tests/unit/test_passwords_and_emails.py checks what the app uses.
APP_HASHER = passwords._hasher
TEST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_hasher", TEST_HASHER)
        patch.setattr(passwords, "_DUMMY_HASH", TEST_HASHER.hash("not a real password"))
        yield


@pytest.fixture(scope="session")
def database_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """`template(backend)`: the URL of one migrated database with the real reference data per
    backend, built once per worker on first use; `database_url` hands out copies of it. The
    templates are dropped at the end of the run."""
    templates: dict[str, str] = {}
    with contextlib.ExitStack() as stack:

        def template(backend: str) -> str:
            if backend not in templates:
                url = stack.enter_context(empty_database(backend, str(tmp_path_factory.mktemp("template"))))
                migrate.upgrade(url)
                database = Database(url)
                try:
                    load_reference(database)
                finally:
                    database.dispose()  # PostgreSQL copies a template only when nobody is connected
                templates[backend] = url
            return templates[backend]

        yield template


@contextlib.contextmanager
def copy_of(template_url: str, folder: str) -> Iterator[str]:
    """A new database holding what the template holds (PostgreSQL: CREATE DATABASE … TEMPLATE;
    SQLite: the backup API), dropped afterwards."""
    template = make_url(template_url)
    if template.get_backend_name() == "sqlite":
        copy = f"{folder}/{uuid.uuid4().hex[:8]}.sqlite3"
        with (
            contextlib.closing(sqlite3.connect(template.database or "")) as source,
            contextlib.closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)
        yield f"sqlite:///{copy}"
        return
    name = f"dzg_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(make_url(POSTGRES_URL or template_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"'))
        try:
            yield template.set(database=name).render_as_string(hide_password=False)
        finally:
            shared_database.cache_clear()
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    database_template: Callable[[str], str],
) -> Iterator[str]:
    """A migrated database with the real reference data, shared by the tests of one backend.

    pytest builds it again whenever the backend changes (each module runs its SQLite tests, then
    its PostgreSQL ones): every module starts from a pristine copy of the backend's template,
    which costs a copy instead of a migration and a reference load.
    """
    with copy_of(database_template(request.param), str(tmp_path_factory.mktemp("db"))) as url:
        yield url


def _clear_challenge_tables(db: Database) -> None:
    tables = [t for t in reversed(Base.metadata.sorted_tables) if t.name not in REFERENCE_TABLES]
    with db.write() as session:
        for table in tables:
            session.execute(table.delete())


@pytest.fixture
def db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Database]:
    """The test database; everything but reference data is wiped after each test."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    database = shared_database(database_url)
    yield database
    _clear_challenge_tables(database)


@dataclass(frozen=True)
class Member:
    """A household account ready to use in tests."""

    account_id: int
    household_id: int
    email: str
    session_hash: str


@pytest.fixture
def today() -> date:
    return date.today()


@pytest.fixture
def edition(db: Database, today: date) -> EditionView:
    """A running edition over the whole région, in its third week."""
    start = today - timedelta(days=today.weekday()) - timedelta(weeks=2)
    return make_edition(db, "Défi test", start, 8, [("region", "32")])


def make_member(
    db: Database, email: str, commune: str = LILLE, name: str = "Les Colibris", from_the_start: bool = True
) -> Member:
    """A household with a session and a confirmed address; by default it joined before the
    edition started."""
    account = credentials.sign_up(db, email, PASSWORD)
    with db.write() as session:
        session.get_one(Account, account.id).email_confirmed_at = utcnow()
    profile = set_up_household(db, account.id, name, commune, 3, consent=True)
    if from_the_start:
        join_before_start(db, profile.household_id)
    token = sessions.open_session(db, account.id, timedelta(days=1))
    return Member(account.id, profile.household_id, email, sessions.hash_token(token))


@pytest.fixture
def member(db: Database, edition: EditionView) -> Member:
    """A household in Lille, enrolled in the running edition."""
    return make_member(db, "colibri@exemple.fr")

"""Alembic: every revision up and down on both databases, no drift, no data lost on upgrade."""

import contextlib
import shutil
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, Table, func, inspect, select, text
from sqlalchemy.engine import make_url

from challenge.accounts import credentials
from challenge.demo.generator import generate_demo
from challenge.help import requests as help_requests
from challenge.households import member_access, members
from challenge.households.checkins import CheckinEntry, record_checkin
from challenge.households.profile import save_service_plan
from challenge.infra import migrate
from challenge.infra.config import PROJECT_ROOT
from challenge.infra.db import Database, create_db_engine
from tests.conftest import BACKENDS, PASSWORD, Member, copy_of, empty_database, make_member


@pytest.fixture(params=BACKENDS)
def empty_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    with empty_database(request.param, str(tmp_path)) as url:
        yield url


def _tables(url: str) -> set[str]:
    engine = create_db_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_head_on_empty_database_then_check_finds_no_drift(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    migrate.check(empty_url)  # raises if the models and the schema differ
    assert {"account", "checkin", "commune", "alternative"} <= _tables(empty_url)


def test_downgrade_to_base_removes_every_table_and_upgrade_again_works(empty_url: str) -> None:
    migrate.upgrade(empty_url)
    migrate.downgrade(empty_url, "base")
    assert _tables(empty_url) == set()
    migrate.upgrade(empty_url)
    migrate.check(empty_url)


# --- Every revision, step by step, on both databases -------------------------------------------


def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(migrate.alembic_config("sqlite://"))


def _steps(script: ScriptDirectory) -> list[tuple[str, str]]:
    """(parent, revision) for every revision, from base to head ("base" for the first one)."""
    steps = []
    for revision in reversed(list(script.walk_revisions())):
        parents = revision.down_revision
        for parent in parents if isinstance(parents, tuple) else (parents,):
            steps.append((parent or "base", revision.revision))
    return steps


STEPS = _steps(_script())
STEPS_FROM_A_REVISION = [pytest.param(p, r, id=f"{p}-to-{r}") for p, r in STEPS if p != "base"] or [
    pytest.param(
        None,
        None,
        marks=pytest.mark.skip(
            reason=f"a single revision ({STEPS[0][1]}): no previous head to migrate data from"
        ),
    )
]


def _schema(url: str) -> dict[str, Any]:
    """What the schema is made of, comparable between two databases of one backend."""
    engine = create_db_engine(url)
    try:
        inspector = inspect(engine)
        return {
            table: {
                "columns": sorted(
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
                ),
                "primary_key": inspector.get_pk_constraint(table)["constrained_columns"],
                "foreign_keys": sorted(
                    (tuple(fk["constrained_columns"]), fk["referred_table"], fk["options"].get("ondelete"))
                    for fk in inspector.get_foreign_keys(table)
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]), i["unique"]) for i in inspector.get_indexes(table)
                ),
                "unique": sorted(
                    (u["name"], tuple(u["column_names"])) for u in inspector.get_unique_constraints(table)
                ),
                "checks": sorted(str(c["name"]) for c in inspector.get_check_constraints(table)),
            }
            for table in inspector.get_table_names()
            if table != "alembic_version"
        }
    finally:
        engine.dispose()


def test_every_revision_upgrades_and_downgrades_cleanly_step_by_step(empty_url: str) -> None:
    """The stairway: up one step, down one step gives the schema back exactly, up again; no drift."""
    schema = _schema(empty_url)
    for parent, revision in STEPS:
        migrate.upgrade(empty_url, revision)
        upgraded = _schema(empty_url)
        assert upgraded != schema, f"{revision} changes nothing"
        migrate.downgrade(empty_url, parent)
        assert _schema(empty_url) == schema, f"downgrading {revision} does not give {parent} back"
        migrate.upgrade(empty_url, revision)
        assert _schema(empty_url) == upgraded, f"upgrading {revision} again differs"
        schema = upgraded
    migrate.check(empty_url)


# --- Upgrading a database full of data ---------------------------------------------------------

# A revision that deliberately drops data says so here: {revision: {"table" or "table.column"}}.
INTENTIONAL_LOSS: dict[str, set[str]] = {}
Rows = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


@pytest.fixture
def member(db: Database, today: date) -> Member:
    """A household in Lille among demo households, in the demo's running edition (the région's)."""
    generate_demo(db, households=12, weeks=3, seed=5, today=today)
    return make_member(db, "colibri@exemple.fr")


def _live_in(db: Database, member: Member, today: date) -> Database:
    """Real rows made by the services: demo households, a member with a plan and check-ins, two
    people in its household answering for WhatsApp one by one."""
    lea = members.add_member(db, member.household_id, "Léa")
    tom = members.add_member(db, member.household_id, "Tom")
    save_service_plan(
        db,
        member.household_id,
        {"gmail": ["proton-mail"], "blablacar": ["mobicoop"], "whatsapp": ["signal"]},
        users={"whatsapp": [lea, tom]},
    )
    record_checkin(
        db,
        member.household_id,
        3,
        [
            CheckinEntry("blablacar", "mostly", km=8.0),
            CheckinEntry("whatsapp", None, members={lea: "switched", tom: "tried"}),
        ],
        today,
    )
    return db


@pytest.fixture(scope="module")
def lived_in(
    database_url: str, database_template: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """The rows the upgrades are tried on, made once per backend for the module: tests only read them."""
    backend = make_url(database_url).get_backend_name()
    with copy_of(database_template(backend), str(tmp_path_factory.mktemp("lived-in"))) as url:
        database = Database(url)
        try:
            today = date.today()
            generate_demo(database, households=12, weeks=3, seed=5, today=today)
            yield _live_in(database, make_member(database, "colibri@exemple.fr"), today)
        finally:
            database.dispose()


@pytest.fixture(scope="module")
def schema_at(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[str], str]]:
    """`schema_at(revision)`: the URL of an empty database migrated to `revision`, made once per
    revision and backend by going up the revisions one by one; tests work on copies of it."""
    backend = make_url(database_url).get_backend_name()
    folder = str(tmp_path_factory.mktemp("schemas"))
    made: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        working = stack.enter_context(empty_database(backend, folder))
        order = [revision for _parent, revision in STEPS]

        def at(revision: str) -> str:
            for step in order[: order.index(revision) + 1]:
                if step not in made:
                    migrate.upgrade(working, step)
                    made[step] = stack.enter_context(copy_of(working, folder))
            return made[revision]

        yield at


def _filler(column: Column[Any]) -> Any:
    """A value for a NOT NULL column that the newer schema no longer has."""
    python_type = column.type.python_type
    return {int: 0, float: 0.0, bool: False, str: "", date: date(2000, 1, 1)}.get(python_type)


def _copy_rows(source: Database, target_url: str, only: set[str] | None = None) -> None:
    """Fill the target's tables (or `only` these) with the source's rows: shared columns, fillers
    for the others."""
    target = create_db_engine(target_url)
    try:
        wanted, given = MetaData(), MetaData()
        wanted.reflect(target)
        given.reflect(source.engine)
        with source.engine.connect() as reading, target.begin() as writing:
            for table in wanted.sorted_tables:
                if table.name == "alembic_version" or table.name not in given.tables:
                    continue
                if only is not None and table.name not in only:
                    continue
                origin = given.tables[table.name]
                shared = [c.name for c in table.columns if c.name in origin.columns]
                fillers = {
                    c.name: _filler(c)
                    for c in table.columns
                    if c.name not in origin.columns and not c.nullable and c.server_default is None
                }
                rows = [
                    {**dict(zip(shared, row, strict=True)), **fillers}
                    for row in reading.execute(select(*(origin.c[name] for name in shared)))
                ]
                if rows:
                    writing.execute(table.insert(), rows)
                _advance_sequence(writing, table)
    finally:
        target.dispose()


def _advance_sequence(connection: Connection, table: Table) -> None:
    """Rows were copied with their ids: PostgreSQL's sequence must start after them."""
    key = list(table.primary_key.columns)
    if connection.dialect.name != "postgresql" or len(key) != 1 or key[0].type.python_type is not int:
        return
    highest = connection.scalar(select(func.max(key[0])))
    if highest is not None:
        sequence = func.pg_get_serial_sequence(table.name, key[0].name)
        connection.execute(select(func.setval(sequence, highest)))


def _rows(url: str) -> Rows:
    engine = create_db_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            result: Rows = {}
            for table in metadata.sorted_tables:
                key = [c.name for c in table.primary_key.columns] or [c.name for c in table.columns]
                result[table.name] = {
                    tuple(row[k] for k in key): dict(row)
                    for row in connection.execute(select(table)).mappings()
                }
            return result
    finally:
        engine.dispose()


def lost_data(before: Rows, after: Rows, allowed: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Tables, rows and values of `before` that `after` no longer has (unless `allowed`)."""
    lost = []
    for table, rows in before.items():
        if table == "alembic_version" or table in allowed:
            continue
        if table not in after:
            lost.append(f"table {table} ({len(rows)} rows)")
            continue
        missing = [key for key in rows if key not in after[table]]
        if missing:
            lost.append(f"{len(missing)} of {len(rows)} rows of {table}")
        for key, values in rows.items():
            kept = after[table].get(key, {})
            changed = [
                c for c in values if c in kept and kept[c] != values[c] and f"{table}.{c}" not in allowed
            ]
            dropped = [
                c for c in values if c not in kept and key in after[table] and f"{table}.{c}" not in allowed
            ]
            if changed or dropped:
                lost.append(f"{table} {key}: changed {changed}, dropped {dropped}")
                break  # one example per table is enough
    return lost


@pytest.mark.parametrize(("parent", "revision"), STEPS_FROM_A_REVISION)
def test_database_full_of_data_at_the_previous_revision_upgrades_without_loss(
    lived_in: Database, schema_at: Callable[[str], str], tmp_path: Path, parent: str, revision: str
) -> None:
    with copy_of(schema_at(parent), str(tmp_path)) as url:
        _copy_rows(lived_in, url)
        before = _rows(url)
        assert len(before["checkin"]) > 50
        assert len(before["commune"]) > 3000
        migrate.upgrade(url, revision)
        assert lost_data(before, _rows(url), INTENTIONAL_LOSS.get(revision, set())) == []
        if parent == STEPS[1][0]:  # the oldest data go on through every later revision to head
            migrate.upgrade(url)
            migrate.check(url)


@pytest.mark.parametrize(("parent", "revision"), STEPS_FROM_A_REVISION)
def test_downgrading_a_revision_keeps_the_data_of_what_remains(
    lived_in: Database, schema_at: Callable[[str], str], tmp_path: Path, parent: str, revision: str
) -> None:
    # On SQLite this holds because migrations/env.py switches foreign keys off while batch mode
    # copies tables (dropping the original would otherwise cascade deletes to its children).
    with copy_of(schema_at(revision), str(tmp_path)) as url:
        _copy_rows(lived_in, url)
        before = _rows(url)
        migrate.downgrade(url, parent)
        after = _rows(url)
        added_by_revision = set(before) - set(after)
        assert lost_data(before, after, added_by_revision | _columns_added(before, after)) == []


def _columns_added(newer: Rows, older: Rows) -> set[str]:
    """`table.column` present in the newer rows only: what a downgrade legitimately drops."""
    found = set()
    for table, rows in newer.items():
        if rows and older.get(table):
            new_columns = next(iter(rows.values())).keys() - next(iter(older[table].values())).keys()
            found |= {f"{table}.{c}" for c in new_columns}
    return found


# --- The data check itself catches a lossy revision (on a scratch copy of migrations/) ----------

SCRATCH_REVISION = '''"""scratch revision written by the tests"""
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
{body}


def downgrade() -> None:
    pass
'''


@pytest.mark.parametrize(
    ("body", "loses"),
    [
        ("    op.add_column('household', sa.Column('nickname', sa.String(20), nullable=True))", False),
        ("    op.execute('UPDATE checkin SET km = NULL')", True),
        ("    op.execute('DELETE FROM login_session')", True),
        ("    with op.batch_alter_table('household') as batch:\n        batch.drop_column('size')", True),
    ],
    ids=["add-column", "overwrite-values", "delete-rows", "drop-column"],
)
def test_the_data_check_tells_a_lossy_revision_from_a_harmless_one(
    db: Database, member: Member, today: date, tmp_path: Path, body: str, loses: bool
) -> None:
    if db.dialect != "sqlite":
        pytest.skip("the check is the same on both databases: once is enough")
    lived_in = _live_in(db, member, today)
    scripts = tmp_path / "migrations"
    shutil.copytree(PROJECT_ROOT / "migrations", scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_scratch.py").write_text(
        SCRATCH_REVISION.format(head=STEPS[-1][1], body=body)
    )
    url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    config = migrate.alembic_config(url)
    config.set_main_option("script_location", str(scripts))
    command.upgrade(config, STEPS[-1][1])  # the real head, just before the scratch revision
    _copy_rows(lived_in, url)
    before = _rows(url)
    command.upgrade(config, "9999")
    assert bool(lost_data(before, _rows(url))) is loses


def test_0016_names_the_alternative_of_answers_given_with_a_single_choice(
    lived_in: Database, schema_at: Callable[[str], str], tmp_path: Path
) -> None:
    with copy_of(schema_at("0015"), str(tmp_path)) as url:
        _copy_rows(lived_in, url)
        migrate.upgrade(url, "0016")
        rows = _rows(url)
    chosen: dict[tuple[int, str], set[str]] = {}
    for declared in rows["declared_service"].values():
        chosen[(declared["household_id"], declared["service_slug"])] = {
            c["alternative_slug"]
            for c in rows["chosen_alternative"].values()
            if c["declared_service_id"] == declared["id"]
        }
    named = 0
    for checkin in rows["checkin"].values():
        options = chosen.get((checkin["household_id"], checkin["service_slug"]), set())
        uses = checkin["status"] in ("switched", "mostly", "tried") and len(options) == 1
        assert checkin["alternative_slug"] == (next(iter(options)) if uses else None)
        named += uses
    assert named > 0


MEMBER_TABLES = {"household_member", "member_service", "member_answer"}


def test_0018_adds_the_members_beside_the_check_ins_and_its_downgrade_removes_only_them(
    lived_in: Database, schema_at: Callable[[str], str], tmp_path: Path
) -> None:
    with copy_of(schema_at("0017"), str(tmp_path)) as url:
        _copy_rows(lived_in, url)
        older = _rows(url)
        migrate.upgrade(url, "0018")
        upgraded = _rows(url)
        assert all(upgraded[table] == {} for table in MEMBER_TABLES)  # nobody is invented
        assert upgraded["checkin"] == older["checkin"]
        _copy_rows(lived_in, url, only=MEMBER_TABLES)
        filled = _rows(url)
        assert len(filled["household_member"]) == 2
        assert {a["status"] for a in filled["member_answer"].values()} == {"switched", "tried"}
        migrate.downgrade(url, "0017")
        after = _rows(url)
        assert MEMBER_TABLES.isdisjoint(after)
        assert after["checkin"] == filled["checkin"]
        migrate.upgrade(url)
        migrate.check(url)


def test_0019_links_members_to_accounts_and_its_downgrade_keeps_the_members(
    db: Database, member: Member, today: date, tmp_path: Path
) -> None:
    lived_in = _live_in(db, member, today)  # its own rows: this test adds accounts and links
    with lived_in.read() as session:
        lea, tom = members.members_of(session, member.household_id)
    tom_account = credentials.sign_up(lived_in, "tom@exemple.fr", PASSWORD).id
    member_access.join_household(
        lived_in, tom_account, member_access.invite_member(lived_in, member.household_id, tom)
    )
    member_access.invite_member(lived_in, member.household_id, lea)
    with empty_database(lived_in.dialect, str(tmp_path)) as url:
        migrate.upgrade(url, "0018")
        _copy_rows(lived_in, url)
        older = _rows(url)
        migrate.upgrade(url, "0019")
        upgraded = _rows(url)
        assert upgraded["member_invitation"] == {}  # no link is invented
        assert {k: {**row, "account_id": None} for k, row in older["household_member"].items()} == upgraded[
            "household_member"
        ]
        _copy_rows(lived_in, url, only={"member_invitation"})
        engine = create_db_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(
                    text("UPDATE household_member SET account_id = :account WHERE id = :member"),
                    {"account": tom_account, "member": tom},
                )
        finally:
            engine.dispose()
        filled = _rows(url)
        used = {row["member_id"]: row["used_at"] is not None for row in filled["member_invitation"].values()}
        assert used == {lea: False, tom: True}
        assert filled["household_member"][(tom,)]["account_id"] == tom_account
        migrate.downgrade(url, "0018")
        after = _rows(url)
        assert "member_invitation" not in after
        assert after["household_member"] == older["household_member"]  # the members stay
        assert after["member_answer"] == older["member_answer"]
        migrate.upgrade(url)
        migrate.check(url)


def test_0020_leaves_existing_help_requests_unshared_and_its_downgrade_keeps_them(
    db: Database, member: Member, today: date, tmp_path: Path
) -> None:
    lived_in = _live_in(db, member, today)  # its own rows: this test adds a help request
    help_requests.ask_help(lived_in, member.household_id, "whatsapp", "Mon grand-père", shared=True)
    with empty_database(lived_in.dialect, str(tmp_path)) as url:
        migrate.upgrade(url, "0019")
        _copy_rows(lived_in, url)  # without the new columns, as a request asked before 0020
        older = _rows(url)["help_request"]
        migrate.upgrade(url, "0020")
        upgraded = _rows(url)["help_request"]
        assert len(upgraded) == 1
        assert upgraded == {k: {**row, "shared": False, "replied_as": None} for k, row in older.items()}
        engine = create_db_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(
                    text("UPDATE help_request SET shared = :yes, replied_as = 'volunteer'"), {"yes": True}
                )
        finally:
            engine.dispose()
        migrate.downgrade(url, "0019")
        assert _rows(url)["help_request"] == older  # the requests stay, without the choice
        migrate.upgrade(url)
        migrate.check(url)

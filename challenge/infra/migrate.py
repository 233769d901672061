"""Schema migrations through Alembic, callable from code and tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from challenge.infra.config import PROJECT_ROOT


def alembic_config(url: str) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["url"] = url
    return config


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


def check(url: str) -> None:
    """Raise if the models differ from the migrated schema (alembic check)."""
    command.check(alembic_config(url))

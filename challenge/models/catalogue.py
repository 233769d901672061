"""The catalogue: categories, Big Tech services and their ethical alternatives."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from challenge.core.vocabulary import Level, values
from challenge.models.base import Base, Name, Slug, Timestamp, one_of


class Category(Base):
    __tablename__ = "category"
    slug: Mapped[Slug] = mapped_column(primary_key=True)
    name: Mapped[Name]
    name_en: Mapped[Name]
    position: Mapped[int]
    quantities: Mapped[list[str]] = mapped_column(JSON, default=list)
    retired_at: Mapped[datetime | None]


class BigTechService(Base):
    __tablename__ = "bigtech_service"
    slug: Mapped[Slug] = mapped_column(primary_key=True)
    name: Mapped[Name]
    company: Mapped[Name]
    category_slug: Mapped[str] = mapped_column(ForeignKey("category.slug"), index=True)
    position: Mapped[int]
    retired_at: Mapped[datetime | None]


class Alternative(Base):
    __tablename__ = "alternative"
    slug: Mapped[Slug] = mapped_column(primary_key=True)
    name: Mapped[Name]
    url: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    ethics: Mapped[list[str]] = mapped_column(JSON, default=list)
    effort: Mapped[str] = mapped_column(String(16))
    cost: Mapped[str] = mapped_column(String(16))
    is_national: Mapped[bool]
    sources: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    last_checked: Mapped[date]
    retired_at: Mapped[datetime | None]
    updated_at: Mapped[Timestamp]


class AlternativeReplacement(Base):
    """Which Big Tech services an alternative can replace."""

    __tablename__ = "alternative_replacement"
    alternative_slug: Mapped[str] = mapped_column(
        ForeignKey("alternative.slug", ondelete="CASCADE"), primary_key=True
    )
    service_slug: Mapped[str] = mapped_column(
        ForeignKey("bigtech_service.slug", ondelete="CASCADE"), primary_key=True, index=True
    )


class AlternativeArea(Base):
    """A territory where a non-national alternative is available."""

    __tablename__ = "alternative_area"
    __table_args__ = (one_of("level", values(Level)),)
    alternative_slug: Mapped[str] = mapped_column(
        ForeignKey("alternative.slug", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[str] = mapped_column(String(16), primary_key=True)
    code: Mapped[str] = mapped_column(String(9), primary_key=True)

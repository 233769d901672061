"""The territory referential: région, départements, EPCI and communes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from challenge.models.base import Base, Name


class Region(Base):
    __tablename__ = "region"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[Name]


class Departement(Base):
    __tablename__ = "departement"
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[Name]
    region_code: Mapped[str] = mapped_column(ForeignKey("region.code"))


class Epci(Base):
    __tablename__ = "epci"
    siren: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[Name]
    nature: Mapped[str] = mapped_column(String(8))
    population: Mapped[int]


class Commune(Base):
    __tablename__ = "commune"
    __table_args__ = (Index("ix_commune_search_key", "search_key"),)
    insee_code: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[Name]
    departement_code: Mapped[str] = mapped_column(ForeignKey("departement.code"), index=True)
    epci_siren: Mapped[str] = mapped_column(ForeignKey("epci.siren"), index=True)
    population: Mapped[int]
    postal_codes: Mapped[str] = mapped_column(String(200))
    search_key: Mapped[str] = mapped_column(String(200))

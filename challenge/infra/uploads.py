"""Uploaded files (catalogue imports, territory outlines): size-limited and checked by content.

A file's name and declared type prove nothing; what counts is what the bytes are. Every upload
goes through `read_upload` before anything parses it further.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Literal

import yaml

from challenge.core.errors import ValidationError
from challenge.core.i18n import _

MAX_BYTES = 5 * 1024 * 1024  # also Streamlit's server.maxUploadSize (MB) in .streamlit/config.toml
Kind = Literal["yaml", "csv", "geojson"]
MAX_REASON = 200  # characters of a parser's own explanation shown back
_BINARY_SIGNATURES = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\x7fELF", b"GIF8", b"\xff\xd8\xff", b"MZ")


class AliasRefused(yaml.YAMLError):
    """An anchor (&) or alias (*) in an uploaded YAML file."""

    def __init__(self, line: int) -> None:
        super().__init__(f"anchor or alias at line {line}")
        self.line = line


class StrictYamlLoader(yaml.SafeLoader):
    """A safe loader that refuses anchors and aliases: a few hundred bytes of nested aliases expand
    to billions of values ("billion laughs"), and our files never need them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise AliasRefused(event.start_mark.line + 1)
        return super().compose_node(parent, index)


def load_yaml(text: str) -> Any:
    """YAML without anchors, aliases or absurd nesting, or a French ValidationError."""
    try:
        return yaml.load(text, Loader=StrictYamlLoader)  # noqa: S506 - a SafeLoader subclass
    except AliasRefused as error:
        raise ValidationError(
            _(
                "YAML refusé : ancre (&) ou alias (*) à la ligne {line} ; écrivez chaque valeur en entier."
            ).format(line=error.line)
        ) from None
    except RecursionError:
        raise ValidationError(_("YAML refusé : structure trop imbriquée.")) from None
    except yaml.YAMLError as error:
        raise ValidationError(_("YAML illisible : {reason}").format(reason=str(error)[:MAX_REASON])) from None


def _text(data: bytes, max_bytes: int) -> str:
    if len(data) > max_bytes:
        raise ValidationError(
            _("Fichier trop volumineux ({size} Mo) : {megabytes} Mo au plus.").format(
                size=f"{len(data) / 1_048_576:.1f}", megabytes=max_bytes // 1_048_576
            )
        )
    if data.startswith(_BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        raise ValidationError(_("Ce fichier n'est pas un fichier texte (image, archive ou programme ?)."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("Ce fichier n'est pas encodé en UTF-8 : enregistrez-le en UTF-8.")) from None


def read_upload(data: bytes, kind: Kind, max_bytes: int = MAX_BYTES) -> Any:
    """The parsed content of an uploaded file of `kind`, or a French ValidationError."""
    text = _text(data, max_bytes)
    if kind == "geojson":
        try:
            document = json.loads(text)
        except RecursionError:
            raise ValidationError(_("GeoJSON refusé : structure trop imbriquée.")) from None
        except json.JSONDecodeError as error:
            raise ValidationError(
                _("GeoJSON illisible (ligne {line}) : {reason}.").format(line=error.lineno, reason=error.msg)
            ) from None
        if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
            raise ValidationError(_("Le GeoJSON doit être une FeatureCollection."))
        return document
    if kind == "yaml":
        document = load_yaml(text)
        if not isinstance(document, dict):
            raise ValidationError(
                _("Le fichier YAML doit contenir des clés (par exemple « alternatives: »).")
            )
        return document
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows or None in rows[0] or not all(rows[0]):
        raise ValidationError(_("Le CSV doit avoir une ligne d'en-têtes et au moins une ligne de données."))
    return rows

"""What changes between two states of the catalogue: entries added, changed field by field, retired.

The same function previews an import (current database against the files) and describes what an
import did (database before against database after), so the two can be compared exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from challenge.catalogue.snapshot import ENTRY_KINDS, Entry, EntryKind, Snapshot

ChangeType = Literal["added", "changed", "retired"]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class EntryChange:
    kind: EntryKind
    slug: str
    change: ChangeType
    fields: tuple[FieldChange, ...]
    before: Entry | None
    after: Entry

    @property
    def is_reorder_only(self) -> bool:
        """Only the place in the file moved (another entry was added or retired before it)."""
        return self.change == "changed" and all(f.field == "rank" for f in self.fields)


@dataclass(frozen=True)
class CatalogueDiff:
    changes: tuple[EntryChange, ...]

    def of(self, change: ChangeType, kind: EntryKind | None = None) -> list[EntryChange]:
        return [c for c in self.changes if c.change == change and (kind is None or c.kind == kind)]

    @property
    def is_empty(self) -> bool:
        return not self.changes


def _retired_version(entry: Entry) -> Entry:
    return {**entry, "retired": True, "rank": None} if "rank" in entry else {**entry, "retired": True}


def _entry_change(kind: EntryKind, slug: str, before: Entry | None, after: Entry) -> EntryChange | None:
    if before is None:
        fields = tuple(FieldChange(name, None, value) for name, value in after.items())
        return EntryChange(kind, slug, "added", fields, None, after)
    names = list(dict.fromkeys([*before, *after]))
    fields = tuple(
        FieldChange(name, before.get(name), after.get(name))
        for name in names
        if before.get(name) != after.get(name)
    )
    if not fields:
        return None
    change: ChangeType = "retired" if after["retired"] and not before["retired"] else "changed"
    return EntryChange(kind, slug, change, fields, before, after)


def diff(current: Snapshot, target: Snapshot) -> CatalogueDiff:
    """Changes that turn `current` into `target`.

    An entry missing from `target` (an import file) is retired; one already retired stays as it is.
    """
    changes: list[EntryChange] = []
    for kind in ENTRY_KINDS:
        before_entries, after_entries = current.of(kind), target.of(kind)
        for slug in sorted(set(before_entries) | set(after_entries)):
            before = before_entries.get(slug)
            after = after_entries.get(slug)
            if after is None:
                after = _retired_version(before) if before is not None else None
            if after is None:
                continue
            change = _entry_change(kind, slug, before, after)
            if change is not None:
                changes.append(change)
    return CatalogueDiff(tuple(changes))

"""The help-now resources shown when crisis screening fires."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.safety.crisis.rules import _DATA

RESOURCES_FILE = _DATA / "help_resources.toml"


@dataclass(frozen=True, slots=True)
class HelpResource:
    name: str
    contact: str
    url: str | None = None
    region: str | None = None


def load_resources(path: Path | None = None) -> list[HelpResource]:
    path = RESOURCES_FILE if path is None else path
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ValueError(f"help resources file {path}: cannot be read: {exc}") from exc
    entries = data.get("resource")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"help resources file {path}: needs at least one [[resource]]")
    resources = []
    for n, entry in enumerate(entries, start=1):
        where = f"help resources file {path}: resource {n}"
        if not isinstance(entry, dict):
            raise ValueError(f"{where}: expected a table")
        if unknown := set(entry) - {"name", "contact", "url", "region"}:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        name, contact = _optional(entry, "name", where), _optional(entry, "contact", where)
        if name is None or contact is None:
            raise ValueError(f"{where}: 'name' and 'contact' are required")
        url, region = _optional(entry, "url", where), _optional(entry, "region", where)
        resources.append(HelpResource(name, contact, url, region))
    return resources


def _optional(entry: Mapping[str, Any], key: str, where: str) -> str | None:
    value = entry.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{where}: {key!r} must be a non-empty string")
    return value

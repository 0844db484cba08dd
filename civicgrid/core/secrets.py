"""Secrets that must survive restarts but never enter the repository: kept in the data dir."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path


def _read_or_write(path: Path, make: Callable[[], str]) -> str:
    if path.exists():
        return path.read_text().strip()
    value = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(value + "\n")
    return value


def load_or_create_secret(path: Path) -> str:
    return _read_or_write(path, lambda: secrets.token_urlsafe(50))


def new_data_key_entry(key_id: str) -> str:
    """One personal-data key in CIVICGRID_DATA_KEYS format: `id:64 hex digits` (32 bytes)."""
    return f"{key_id}:{secrets.token_hex(32)}"


def load_or_create_data_keys(path: Path) -> str:
    return _read_or_write(path, lambda: new_data_key_entry("k1"))

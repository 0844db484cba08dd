"""The spelling the issue asks for: `civicgrid open311-key --name NAME` (same as open311_key)."""

from civicgrid.cases.management.commands.open311_key import Command  # noqa: F401

from django.core.management.base import CommandError

from civicgrid.core.errors import DomainError


def fail(exc: DomainError) -> CommandError:
    """A CommandError listing a domain error's row-level details, one per line."""
    lines = [f"{exc.code}: {exc.message}"]
    lines += [f"  row {d.get('row')}, {d.get('column')}: {d.get('problem')}" if isinstance(d, dict) else f"  {d}"
              for d in exc.details]
    return CommandError("\n".join(lines))

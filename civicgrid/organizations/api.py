"""Organizations API under /api/v1/organizations/: thin handlers over services and selectors."""

from ninja import Router

router = Router(tags=["organizations"])

"""Form parsing for the case pages: plain request data into service keyword arguments."""

from datetime import date

from civicgrid.core.errors import ValidationFailed


def optional_int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**53 else None


def optional_float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        raise ValidationFailed(code="invalid_coordinate", field="lon") from None


def optional_date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationFailed(code="invalid_date", field="review_on") from None


def filter_date(value) -> date | None:
    """A list filter's YYYY-MM-DD value, or None when empty or not a date (a filter ignores it, as bad ints)."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def action_params(post) -> dict:
    from civicgrid.cases.models import pk_from_number

    params = {"note": post.get("note", "")[:2000], "unit_id": optional_int(post.get("unit_id")),
              "category_id": optional_int(post.get("category_id")), "review_on": optional_date(post.get("review_on")),
              "satisfaction": post.get("satisfaction") or None,
              "into_id": pk_from_number(post.get("into", "")) if post.get("into") else None}
    if post.get("resolved") in ("yes", "no"):
        params["resolved"] = post["resolved"] == "yes"
    if post.get("urgent") in ("on", "off"):
        params["urgent"] = post["urgent"] == "on"
    return {k: v for k, v in params.items() if v is not None}

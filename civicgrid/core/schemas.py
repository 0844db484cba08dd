from ninja import Schema


class ErrorOut(Schema):
    """Every API error: a stable `code`, a message in the caller's language, and optional details."""

    code: str
    message: str
    field: str | None = None
    details: list = []


# Any operation can meet a malformed request (400), a missing or bad credential (401) or invalid fields (422).
ALWAYS = (400, 401, 422)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """Declared error responses for an operation, so the OpenAPI document lists each one."""
    return dict.fromkeys(sorted({*ALWAYS, *statuses}), ErrorOut)

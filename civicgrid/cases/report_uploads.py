"""Photos of a report that failed validation, kept server-side so the resident need not choose them again.

The cleaned image (re-encoded, EXIF removed, as `photos.prepare` does) is stored under cases/pending/ and named
in a token signed for the user; the retry hands the stored files to `report_case` again. Files nobody reports
with are removed after a day by `photos.sweep_orphans`, which walks cases/."""

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from civicgrid.cases import photos

SALT = "cases.report-photos"
MAX_AGE = 24 * 3600
MAX_PHOTOS = 3


def keep(user, uploads) -> str:
    """Store the (already checked) uploads; '' when there are none."""
    names = []
    for upload in uploads[:MAX_PHOTOS]:
        upload.seek(0)
        cleaned = photos.prepare(upload)["image"]
        names.append(default_storage.save(f"cases/pending/{cleaned.name}", cleaned))
    return signing.dumps({"u": user.pk, "f": names}, salt=SALT) if names else ""


def kept(user, token: str) -> list[str]:
    """Stored names a token of this user still points at; [] for a stale, foreign or forged token."""
    if not token:
        return []
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return []
    if data.get("u") != user.pk:
        return []
    return [name for name in data.get("f", [])[:MAX_PHOTOS]
            if name.startswith("cases/pending/") and default_storage.exists(name)]


def files(names: list[str]) -> list[ContentFile]:
    found = []
    for name in names:
        with default_storage.open(name, "rb") as handle:
            found.append(ContentFile(handle.read(), name=name.rsplit("/", 1)[-1]))
    return found


def discard(names: list[str]) -> None:
    for name in names:
        default_storage.delete(name)

"""Photo intake: type and size checks, EXIF (GPS included) removed by re-encoding, a thumbnail."""

import io
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.utils import timezone
from PIL import Image, ImageOps, UnidentifiedImageError

from civicgrid.cases.errors import InvalidPhoto

MAX_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
THUMB_SIZE = (320, 320)
MAX_SIDE = 2048


def _open(upload) -> Image.Image:
    size = getattr(upload, "size", None)
    data = upload.read() if hasattr(upload, "read") else bytes(upload)
    if (size or len(data)) > MAX_BYTES or len(data) > MAX_BYTES:
        raise InvalidPhoto(field="photo")
    try:
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS or image.width * image.height > MAX_PIXELS:
            raise InvalidPhoto(field="photo")
        image.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        raise InvalidPhoto(field="photo") from None
    return image


def _jpeg(image: Image.Image, box: tuple[int, int]) -> bytes:
    """Re-encode pixels only: no EXIF, no XMP, no ICC text; the orientation is applied first."""
    clean = ImageOps.exif_transpose(image).convert("RGB")
    clean.thumbnail(box)
    pixels = Image.new("RGB", clean.size)
    pixels.paste(clean)
    out = io.BytesIO()
    pixels.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def prepare(upload) -> dict:
    """Checked, cleaned image and thumbnail as ContentFiles plus the size, ready for a CasePhoto."""
    image = _open(upload)
    name = uuid.uuid4().hex
    full = _jpeg(image, (MAX_SIDE, MAX_SIDE))
    width, height = Image.open(io.BytesIO(full)).size
    return {"image": ContentFile(full, name=f"{name}.jpg"),
            "thumbnail": ContentFile(_jpeg(image, THUMB_SIZE), name=f"{name}-t.jpg"),
            "width": width, "height": height}


def sweep_orphans(*, older_than: timedelta = timedelta(days=1), now: datetime | None = None) -> int:
    """Delete stored photo files that no CasePhoto row names: what a rolled-back report left behind.

    Files younger than `older_than` are kept, so a report still in its transaction never loses its photo."""
    from civicgrid.cases.models import CasePhoto

    if not isinstance(default_storage, FileSystemStorage):  # object stores expire uploads with their own rules
        return 0
    root = Path(settings.MEDIA_ROOT) / "cases"
    if not root.exists():
        return 0
    cutoff = ((now or timezone.now()) - older_than).timestamp()
    known = set(CasePhoto.objects.values_list("image", flat=True)) | set(
        CasePhoto.objects.values_list("thumbnail", flat=True))
    removed = 0
    for path in root.rglob("*"):
        if path.is_file() and path.stat().st_mtime < cutoff:
            name = path.relative_to(settings.MEDIA_ROOT).as_posix()
            if name not in known:
                path.unlink(missing_ok=True)
                removed += 1
    return removed

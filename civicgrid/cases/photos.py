"""Photo intake: type and size checks, EXIF (GPS included) removed by re-encoding, a thumbnail."""

import io
import uuid

from django.core.files.base import ContentFile
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

"""Limits every uploaded import file meets before anything parses it.

An xlsx is a zip archive: a few hundred KB can expand to gigabytes of sheet XML (a zip bomb), and a sheet can
declare or hold millions of rows. The archive's directory (each member's declared size, which `zipfile` also
enforces while reading) and the sheet's `<dimension>` are read first; rows are then streamed under a cap.
"""

import io
import zipfile
from collections.abc import Iterator
from typing import IO

from django.utils.translation import gettext as _

from civicgrid.core.errors import ValidationFailed

MB = 1024 * 1024
MAX_UPLOAD_BYTES = 20 * MB
MAX_XLSX_EXPANDED_BYTES = 50 * MB
# Sheet XML usually deflates 5 to 20 times; a bomb's repeated rows several hundred times. Small parts are exempt.
MAX_COMPRESSION_RATIO = 100
RATIO_EXEMPT_BYTES = 1 * MB
MAX_SHEET_COLUMNS = 200


def _megabytes(size: int) -> str:
    return f"{size / MB:.0f} MB"


def check_upload_size(size: int, *, limit: int = MAX_UPLOAD_BYTES) -> None:
    if size > limit:
        raise ValidationFailed(_("The file is larger than %(limit)s.") % {"limit": _megabytes(limit)},
                               code="file_too_large", field="file")


def _as_file(source: bytes | IO[bytes]) -> IO[bytes]:
    return io.BytesIO(source) if isinstance(source, bytes | bytearray) else source


def check_xlsx_archive(source: bytes | IO[bytes]) -> None:
    """Refuse an xlsx whose raw size, expanded size or compression ratio is beyond the limits."""
    file = _as_file(source)
    file.seek(0, io.SEEK_END)
    check_upload_size(file.tell())
    file.seek(0)
    try:
        members = zipfile.ZipFile(file).infolist()
    except (zipfile.BadZipFile, OSError):
        raise ValidationFailed(_("The file is not an Excel workbook (.xlsx)."), code="invalid_file",
                               field="file") from None
    finally:
        file.seek(0)
    if sum(member.file_size for member in members) > MAX_XLSX_EXPANDED_BYTES:
        raise ValidationFailed(_("The workbook expands to more than %(limit)s.")
                               % {"limit": _megabytes(MAX_XLSX_EXPANDED_BYTES)}, code="file_too_large", field="file")
    for member in members:
        if member.file_size > max(RATIO_EXEMPT_BYTES, member.compress_size * MAX_COMPRESSION_RATIO):
            raise ValidationFailed(_("The workbook is compressed more than %(ratio)s times: it looks like a zip "
                                     "bomb.") % {"ratio": MAX_COMPRESSION_RATIO},
                                   code="suspicious_compression", field="file")


def check_row_count(count: int, *, max_rows: int) -> None:
    if count > max_rows:
        raise ValidationFailed(_("A file may hold at most %(max)s rows.") % {"max": max_rows}, code="too_many_rows",
                               field="file")


def xlsx_rows(source: bytes | IO[bytes], *, max_rows: int) -> Iterator[tuple]:
    """The first sheet's rows as value tuples (the header row included), after `check_xlsx_archive`.

    Refuses a sheet that declares more than `max_rows` data rows or MAX_SHEET_COLUMNS columns before reading a
    row, and stops with the same error when the rows it holds exceed that anyway."""
    from openpyxl import load_workbook

    check_xlsx_archive(source)
    workbook = load_workbook(_as_file(source), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        check_row_count((sheet.max_row or 1) - 1, max_rows=max_rows)
        if (sheet.max_column or 0) > MAX_SHEET_COLUMNS:
            raise ValidationFailed(_("A sheet may have at most %(max)s columns.") % {"max": MAX_SHEET_COLUMNS},
                                   code="too_many_columns", field="file")
        for number, row in enumerate(sheet.iter_rows(values_only=True)):
            check_row_count(number, max_rows=max_rows)
            yield row
    finally:
        workbook.close()

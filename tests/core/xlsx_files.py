"""Hostile xlsx files for the upload-limit tests, built with zipfile (no openpyxl involved)."""

import io
import zipfile

ROW = b'<row><c t="inlineStr"><is><t>' + b"x" * 40 + b"</t></is></c></row>"


def expanding_xlsx(expanded_bytes: int) -> bytes:
    """A few hundred KB holding a sheet of `expanded_bytes` of repeated rows; no other workbook part, so
    openpyxl would refuse it with an error of its own if it ever got to read it."""
    buffer = io.BytesIO()
    chunk = ROW * 10_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, \
            archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
        written = 0
        while written < expanded_bytes:
            sheet.write(chunk)
            written += len(chunk)
    return buffer.getvalue()


def workbook(rows: int) -> bytes:
    """A valid workbook: a header and `rows` data rows."""
    from openpyxl import Workbook

    book = Workbook()
    for number in range(rows + 1):
        book.active.append([f"r{number}", number])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_dimension(xlsx: bytes, dimension: bytes) -> bytes:
    """`xlsx` with its sheet's <dimension> element replaced by `dimension` (b"" drops it)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                start = data.index(b"<dimension ")
                data = data[:start] + dimension + data[data.index(b"/>", start) + 2:]
            target.writestr(item, data)
    return out.getvalue()

"""Upload limits checked before any workbook is parsed: raw size, expanded size, compression ratio, rows."""

import pytest

from civicgrid.core import uploads
from civicgrid.core.errors import ValidationFailed
from tests.core.xlsx_files import expanding_xlsx, with_dimension, workbook


def _code(call) -> str:
    with pytest.raises(ValidationFailed) as refused:
        call()
    return refused.value.code


def test_an_archive_expanding_beyond_the_limit_is_refused():
    bomb = expanding_xlsx(uploads.MAX_XLSX_EXPANDED_BYTES + uploads.MB)
    assert len(bomb) < 1 * uploads.MB
    assert _code(lambda: uploads.check_xlsx_archive(bomb)) == "file_too_large"


def test_a_member_compressed_beyond_the_ratio_is_refused():
    assert _code(lambda: uploads.check_xlsx_archive(expanding_xlsx(5 * uploads.MB))) == "suspicious_compression"


def test_a_raw_file_beyond_the_upload_limit_is_refused():
    assert _code(lambda: uploads.check_upload_size(uploads.MAX_UPLOAD_BYTES + 1)) == "file_too_large"
    uploads.check_upload_size(uploads.MAX_UPLOAD_BYTES)


def test_a_file_that_is_not_a_zip_is_refused():
    assert _code(lambda: uploads.check_xlsx_archive(b"plain text")) == "invalid_file"


def test_rows_are_refused_by_the_declared_dimension_before_any_is_read():
    huge = with_dimension(workbook(1), b'<dimension ref="A1:B1000000"/>')
    assert _code(lambda: next(uploads.xlsx_rows(huge, max_rows=100))) == "too_many_rows"
    wide = with_dimension(workbook(1), b'<dimension ref="A1:XFD2"/>')
    assert _code(lambda: next(uploads.xlsx_rows(wide, max_rows=100))) == "too_many_columns"


def test_rows_are_capped_while_streaming_a_sheet_without_dimension():
    undeclared = with_dimension(workbook(4), b"")
    assert len(list(uploads.xlsx_rows(undeclared, max_rows=4))) == 5
    assert _code(lambda: list(uploads.xlsx_rows(undeclared, max_rows=3))) == "too_many_rows"


def test_the_refusal_names_the_limit_in_chinese():
    with pytest.raises(ValidationFailed) as refused:
        uploads.check_upload_size(uploads.MAX_UPLOAD_BYTES + 1)
    assert "20 MB" in str(refused.value.message) and "文件" in str(refused.value.message)

"""The embedded CJK font of every PDF (core.pdffonts): each document's subset shows its own characters, also when
another subset was registered before it in the same process (reportlab keeps one font per face name), and the
registry does not grow per document."""

import io
import os

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from civicgrid.core.pdffonts import SUBSET_PREFIX, cjk_font, forget_font, noto_path
from tests.cockpit.pdftext import fonts, pdf_lines


@pytest.fixture(autouse=True)
def _noto_installed():
    """A fresh machine with only Python lacks the font: skip there, but fail under CI, which installs it (as the
    browser tests do with Chromium)."""
    if noto_path() is None:
        if os.environ.get("CI"):
            pytest.fail("CI needs Debian's fonts-noto-cjk")
        pytest.skip("fonts-noto-cjk is not installed (apt-get install fonts-noto-cjk)")


def _document(text: str, *, forget: bool = True) -> bytes:
    font, buffer = cjk_font(text), io.BytesIO()
    page = canvas.Canvas(buffer, pageCompression=0)
    page.setFont(font, 12)
    page.drawString(40, 700, text)
    page.showPage()
    page.save()
    if forget:
        forget_font(font)
    return buffer.getvalue()


def _subsets() -> set[str]:
    return {name for name in pdfmetrics.getRegisteredFontNames() if name.startswith(SUBSET_PREFIX)}


def test_each_document_shows_its_own_characters_in_an_embedded_subset():
    before = _subsets()
    kept = _document("志愿服务证明 王小明", forget=False)  # a subset still registered while the next is drawn
    kept_font = cjk_font("志愿服务证明 王小明")
    texts = ["会议记录：修复路灯", "石景山区月度治理报告 响应率 79.7%", "志愿服务证明 李华"]
    documents = [_document(text) for text in texts]
    assert [pdf_lines(document) for document in documents] == [[text] for text in texts]
    assert pdf_lines(kept) == ["志愿服务证明 王小明"]
    for document in documents:
        shown = [font for font in fonts(document).values() if font.base.startswith("AAAAAA+")]
        assert len(shown) == 1 and shown[0].embedded and b"/FontFile2" in document
    assert _subsets() - before == {kept_font}
    forget_font(kept_font)
    assert _subsets() == before

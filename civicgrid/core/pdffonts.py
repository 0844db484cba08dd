"""The CJK font every PDF we write uses: Noto Sans CJK SC from Debian's fonts-noto-cjk, subset and embedded.

reportlab embeds only TrueType outlines, and Noto CJK ships PostScript (CFF) outlines in a collection. So the
font is subset with fontTools to the characters a document needs and its outlines converted to quadratic
TrueType curves (as fontTools' otf2ttf snippet does): a small font that reportlab can embed, with a ToUnicode map
so the text stays extractable. Without the font installed, `cjk_font` falls back to reportlab's built-in
STSong-Light, which is not embedded (the reader must have it).

Use: `font = cjk_font(all_text_of_the_document)`, draw with it, then `forget_font(font)` once the PDF is saved."""

import hashlib
import io
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

NOTO_CJK = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
SC_INDEX_NAME = "SC"  # the Simplified Chinese member of the collection
FALLBACK = "STSong-Light"
SUBSET_PREFIX = "NotoSansCJKSC-"


def noto_path() -> str | None:
    return next((p for p in NOTO_CJK if Path(p).exists()), None)


def _simplified_chinese_index(path: str) -> int:
    from fontTools.ttLib import TTCollection

    collection = TTCollection(path, lazy=True)
    for index, font in enumerate(collection.fonts):
        if f" {SC_INDEX_NAME}" in str(font["name"].getDebugName(1) or ""):
            return index
    return 0


def _to_truetype(font) -> None:
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order, glyph_set = font.getGlyphOrder(), font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder, glyf.glyphs = order, {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"], font["glyf"] = newTable("loca"), glyf
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    glyf.compile(font)
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            font["hmtx"][name] = (font["hmtx"][name][0], glyph.xMin)
    _truetype_maxp(font, glyf)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping, post.glyphOrder = 3.0, [], {}, order
    font.sfntVersion = "\x00\x01\x00\x00"


def _truetype_maxp(font, glyf) -> None:
    from fontTools.ttLib import newTable

    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in ("maxZones",):
        setattr(maxp, field, 1)
    for field in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
                  "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, field, 0)
    font["maxp"] = maxp
    maxp.compile(font)


def _name_after(font, characters: str) -> None:
    """Give the subset its own PostScript name. reportlab keeps one font per face name for the whole process
    (pdfmetrics._dynFaceNames): a second subset under Noto's own name would be drawn with the first one's glyphs."""
    tag = hashlib.sha1(characters.encode()).hexdigest()[:12]  # noqa: S324 - a name, not security
    for record in font["name"].names:
        if record.nameID == 6:
            record.string = f"{SUBSET_PREFIX}{tag}"


@lru_cache(maxsize=32)
def truetype_subset(text: str) -> bytes | None:
    """TrueType bytes of Noto Sans CJK SC holding the characters of `text`, or None without the font."""
    path = noto_path()
    if path is None:
        return None
    import logging

    from fontTools import subset
    from fontTools.ttLib import TTFont

    logging.getLogger("fontTools").setLevel(logging.WARNING)

    font = TTFont(path, fontNumber=_simplified_chinese_index(path), lazy=False)
    options = subset.Options()
    options.layout_features, options.name_IDs, options.notdef_outline = [], ["*"], True
    subsetter = subset.Subsetter(options)
    characters = "".join(sorted(set(text + " 0123456789")))
    subsetter.populate(text=characters)
    subsetter.subset(font)
    _to_truetype(font)
    _name_after(font, characters)
    buffer = io.BytesIO()
    font.save(buffer)
    return buffer.getvalue()


def cjk_font(text: str) -> str:
    """The registered reportlab font name to write `text` with: Noto Sans CJK SC subset to the characters of
    `text` and embedded when fonts-noto-cjk is installed, otherwise STSong-Light (not embedded)."""
    data = truetype_subset(text)
    if data is None:
        if FALLBACK not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
        return FALLBACK
    name = f"{SUBSET_PREFIX}{hashlib.sha1(data).hexdigest()[:12]}"  # noqa: S324 - a name, not security
    if name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    return name


def forget_font(font: str) -> None:
    """Each document gets its own subset font: drop it from reportlab's registry (no public API) so a
    long-running server does not accumulate one per document."""
    if font.startswith(SUBSET_PREFIX) and font in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.getFont(font).unregister()  # also drops its face name
        pdfmetrics._typefaces.pop(font, None)

"""Read back a PDF we wrote with reportlab the way a reader does, without a PDF library (none is installed): the
text of each BT…ET block (one drawn string), decoded through its font's ToUnicode map (an embedded subset font
shows one-byte glyph codes) or as UTF-16BE (the STSong-Light CID font), and which fonts show text and whether each
is embedded (its descriptor holds a FontFile/FontFile2/FontFile3 stream)."""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

_OBJECT = re.compile(rb"(\d+) 0 obj(.*?)endobj", re.S)
_STREAM = re.compile(rb"/Length\s+(\d+)\b.*?stream\r?\n", re.S)
_STRING = rb"\(((?:\\.|[^\\)])*)\)"
_TOKEN = re.compile(rb"/(\S+)\s+[\d.]+\s+Tf|" + _STRING + rb"\s*Tj|\bBT\b|\bET\b", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


@dataclass
class Font:
    base: str
    embedded: bool
    to_unicode: dict[int, str] | None  # None: no ToUnicode map (decode as UTF-16BE)


def _objects(document: bytes) -> dict[int, bytes]:
    return {int(m.group(1)): m.group(2) for m in _OBJECT.finditer(document)}


def _stream(body: bytes) -> bytes:
    match = _STREAM.search(body)
    data = body[match.end():match.end() + int(match.group(1))] if match else b""
    return zlib.decompress(data) if b"/FlateDecode" in body.split(b"stream")[0] else data


def _ref(body: bytes, key: bytes) -> int | None:
    match = re.search(rb"/" + key + rb"\s+(\d+) 0 R", body)
    return int(match.group(1)) if match else None


def _cmap(text: bytes) -> dict[int, str]:
    mapping = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(code, 16)] = bytes.fromhex(uni.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for low, high, uni in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            first = int.from_bytes(bytes.fromhex(uni.decode()), "big")
            for offset, code in enumerate(range(int(low, 16), int(high, 16) + 1)):
                mapping[code] = chr(first + offset)
    return mapping


def _embedded(objects: dict[int, bytes], font: bytes) -> bool:
    descriptor = _ref(font, b"FontDescriptor")
    if descriptor is None:  # a Type0 font: its descriptor is on the descendant font
        match = re.search(rb"/DescendantFonts\s*\[\s*(\d+) 0 R", font)
        if match is None:
            return False
        descriptor = _ref(objects.get(int(match.group(1)), b""), b"FontDescriptor")
    body = objects.get(descriptor, b"") if descriptor is not None else b""
    return bool(re.search(rb"/FontFile[23]?\s+\d+ 0 R", body))


def fonts(document: bytes) -> dict[str, Font]:
    """Every font resource by its resource name (as Tf names it)."""
    objects, found = _objects(document), {}
    for body in objects.values():
        if not re.search(rb"/Type\s*/Font\b", body):
            continue
        name = re.search(rb"/Name\s*/(\S+)", body)
        base = re.search(rb"/BaseFont\s*/(\S+)", body)
        to_unicode = _ref(body, b"ToUnicode")
        if name is None:
            continue
        cmap = _cmap(_stream(objects[to_unicode])) if to_unicode in objects else None
        found[name.group(1).decode()] = Font(base.group(1).decode() if base else "", _embedded(objects, body), cmap)
    return found


def _unescape(raw: bytes) -> bytes:
    out, i = bytearray(), 0
    while i < len(raw):
        if raw[i:i + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", raw[i + 1:i + 4])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            out += _ESCAPES.get(raw[i + 1:i + 2], raw[i + 1:i + 2])
            i += 2
            continue
        out.append(raw[i])
        i += 1
    return bytes(out)


def _decode(raw: bytes, font: Font | None) -> str:
    if font is not None and font.to_unicode is not None:
        return "".join(font.to_unicode.get(code, "\ufffd") for code in raw)
    if len(raw) % 2 == 0:
        try:
            return raw.decode("utf-16-be")
        except UnicodeDecodeError:
            pass
    return raw.decode("latin-1")


def _content_streams(document: bytes) -> list[bytes]:
    objects = _objects(document)
    pages = [body for body in objects.values() if re.search(rb"/Type\s*/Page\b", body)]
    return [_stream(objects[ref]) for ref in (_ref(page, b"Contents") for page in pages) if ref in objects]


def shown_text(document: bytes) -> list[tuple[str, str]]:
    """(font resource name, text) of each BT…ET block that shows text, in page order."""
    known, shown = fonts(document), []
    for content in _content_streams(document):
        font, parts, current = "", [], ""
        for match in _TOKEN.finditer(content):
            token = match.group(0)
            if match.group(1):
                current = match.group(1).decode()
            elif token == b"BT":
                font, parts = "", []
            elif token == b"ET":
                if parts:
                    shown.append((font, "".join(parts)))
                parts = []
            else:
                font = font or current
                parts.append(_decode(_unescape(match.group(2)), known.get(current)))
    return shown


def pdf_lines(document: bytes) -> list[str]:
    return [text for _font, text in shown_text(document)]

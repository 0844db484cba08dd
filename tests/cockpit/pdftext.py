"""The text of a PDF the cockpit wrote (uncompressed pages, STSong-Light: UTF-16BE strings), read back the way a
reader extracts it: every string shown by a Tj operator, PDF escapes undone. No PDF library is installed here."""

import re

_STRING = re.compile(rb"\(((?:\\.|[^\\)])*)\)\s*Tj", re.S)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"(": b"(", b")": b")", b"\\": b"\\"}


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


def pdf_lines(document: bytes) -> list[str]:
    lines = []
    for match in _STRING.finditer(document):
        raw = _unescape(match.group(1))
        try:
            lines.append(raw.decode("utf-16-be") if len(raw) % 2 == 0 else raw.decode("latin-1"))
        except UnicodeDecodeError:
            lines.append(raw.decode("latin-1"))
    return lines

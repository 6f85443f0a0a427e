"""Image sizes for e-mail: the pixel size of PNG, GIF, JPEG, WebP and SVG files read from
their headers (standard library only), and the `width`/`height` an e-mail gives an image so
that Outlook neither blows it up nor squeezes it.

Pure functions of bytes and numbers; the e-mail stage reads the files.
"""

from __future__ import annotations

import io
import re
import struct
from typing import NamedTuple
from xml.etree import ElementTree

CONTENT_WIDTH = 552  # the e-mail's 600 px column less its 24 px padding on each side
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_SVG_LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


class Size(NamedTuple):
    width: int
    height: int


def image_size(data: bytes) -> Size | None:
    """The pixel size of an image file, or None when the format or file is not understood."""
    for reader in (_png, _gif, _jpeg, _webp, _svg):
        size = reader(data)
        if size is not None:
            return size if size.width > 0 and size.height > 0 else None
    return None


def fitted(size: Size, column: int = CONTENT_WIDTH) -> Size:
    """`size` scaled down (aspect ratio kept) to fit the content column; never scaled up."""
    if size.width <= column:
        return size
    return Size(column, max(1, round(size.height * column / size.width)))


def _png(data: bytes) -> Size | None:
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR" or len(data) < 24:
        return None
    return Size(*struct.unpack(">II", data[16:24]))


def _gif(data: bytes) -> Size | None:
    if data[:6] not in (b"GIF87a", b"GIF89a") or len(data) < 10:
        return None
    return Size(*struct.unpack("<HH", data[6:10]))


def _jpeg(data: bytes) -> Size | None:
    if data[:2] != b"\xff\xd8":
        return None
    offset = 2
    while offset + 9 < len(data):
        if data[offset] != 0xFF:
            return None
        marker = data[offset + 1]
        if marker == 0xFF:  # fill byte
            offset += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            offset += 2
            continue
        (length,) = struct.unpack(">H", data[offset + 2 : offset + 4])
        if marker in _JPEG_FRAMES:
            height, width = struct.unpack(">HH", data[offset + 5 : offset + 9])
            return Size(width, height)
        offset += 2 + length
    return None


def _webp(data: bytes) -> Size | None:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP" or len(data) < 30:
        return None
    chunk = data[12:16]
    if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return Size(width & 0x3FFF, height & 0x3FFF)
    if chunk == b"VP8L" and data[20] == 0x2F:
        bits = int.from_bytes(data[21:25], "little")
        return Size((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
    if chunk == b"VP8X":
        return Size(int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1)
    return None


def _svg(data: bytes) -> Size | None:
    head = data[:2048].lstrip()
    if not head.startswith(b"<") or b"<svg" not in data[:4096]:
        return None
    try:
        root = next(element for _, element in ElementTree.iterparse(io.BytesIO(data), events=("start",)))
    except (ElementTree.ParseError, StopIteration):
        return None
    if not root.tag.endswith("svg"):
        return None
    width, height = _svg_length(root.get("width")), _svg_length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            return None
        if box_width > 0 and box_height > 0:
            width = width or (height * box_width / box_height if height else box_width)
            height = height or width * box_height / box_width
    if width is None or height is None:
        return None
    return Size(round(width), round(height))


def _svg_length(value: str | None) -> float | None:
    match = _SVG_LENGTH.match(value or "")
    return float(match.group(1)) if match else None

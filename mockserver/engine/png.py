"""A tiny, dependency-free PNG writer for the charts code interpreter "draws"."""

from __future__ import annotations

import struct
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def encode(width: int, height: int, pixels: list[list[tuple[int, int, int]]]) -> bytes:
    raw = b"".join(b"\x00" + bytes(c for px in row for c in px) for row in pixels)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(raw, 9))
        + _chunk(b"IEND", b"")
    )


def bar_chart(values: list[float], width: int = 160, height: int = 120) -> bytes:
    """A white canvas with one blue bar per value, scaled to the largest."""
    values = [abs(v) for v in values] or [1.0]
    top = max(values) or 1.0
    bar = max(1, width // (2 * len(values) + 1))
    pixels = [[(255, 255, 255)] * width for _ in range(height)]
    for i, value in enumerate(values):
        left = bar * (2 * i + 1)
        bar_height = int((height - 10) * value / top)
        for y in range(height - bar_height, height):
            for x in range(left, min(width, left + bar)):
                pixels[y][x] = (31, 119, 180)
    return encode(width, height, pixels)

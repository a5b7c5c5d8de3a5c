"""Real image files for the tests, made with ImageMagick's `convert` (and a few crafted
by hand where the point is a broken or hostile file).  Cached per run in var/test/fixtures."""

import os
import struct
import subprocess
import zlib
from functools import lru_cache

from stack import VAR

DIR = VAR / "fixtures"


def _convert(name, *args):
    DIR.mkdir(parents=True, exist_ok=True)
    out = DIR / name
    if not out.exists():
        # -strip: the fixtures carry no metadata, so the stored file (metadata-stripped by
        # imghost) is byte for byte the uploaded one.  test_privacy uploads metadata on purpose.
        subprocess.run(["convert", *args, "-strip", str(out)], check=True)
    return out.read_bytes()


@lru_cache(None)
def jpeg(w=640, h=480, seed=1):
    return _convert(f"photo-{w}x{h}-{seed}.jpg", "-seed", str(seed), "-size", f"{w}x{h}", "plasma:", "-quality", "85")


@lru_cache(None)
def jpeg_of_size(approx_bytes, seed=1):
    """A photo-sized JPEG of roughly `approx_bytes`: random noise at quality 98 without
    chroma subsampling costs about 0.95 bytes per pixel."""
    w = 1900
    h = max(16, int(approx_bytes / 0.95 / w))
    return _convert(f"noise-{w}x{h}-{seed}.jpg", "-seed", str(seed), "-size", f"{w}x{h}", "xc:gray",
                    "+noise", "Random", "-quality", "98", "-sampling-factor", "1x1")


@lru_cache(None)
def png(w=200, h=150, color="steelblue"):
    return _convert(f"flat-{w}x{h}-{color}.png", "-size", f"{w}x{h}", f"xc:{color}",
                    "-fill", "white", "-draw", "circle 50,50 70,70")


@lru_cache(None)
def gif_animated():
    return _convert("anim.gif", "-delay", "20", "-size", "80x60", "xc:red", "xc:green", "xc:blue", "-loop", "0")


def gif_animated_with_comment():
    """The 3-frame GIF with a Comment Extension before its second frame."""
    data = gif_animated()
    first_frame_end = data.index(b"\x21\xf9", data.index(b"\x2c"))  # the second frame's Graphic Control
    comment = b"\x21\xfe" + bytes([12]) + b"private note" + b"\x00"
    return data[:first_frame_end] + comment + data[first_frame_end:]


def frames_rgba(data):
    """Every frame's pixels as ImageMagick decodes them, put on the canvas: a list of raw
    RGBA byte strings, one per frame."""
    count = len(subprocess.run(["identify", "-"], input=data, capture_output=True, check=True).stdout.splitlines())
    raw = subprocess.run(["convert", "-", "-coalesce", "rgba:-"], input=data, capture_output=True, check=True).stdout
    size = len(raw) // count
    return [raw[i * size:(i + 1) * size] for i in range(count)]


@lru_cache(None)
def webp():
    return _convert("pic.webp", "-size", "120x90", "gradient:yellow-purple")


def unique_png(i):
    """A small PNG whose bytes differ for every i (no deduplication between them)."""
    return _convert(f"unique-{i}.png", "-size", "32x32", "xc:white",
                    "-fill", f"rgb({i % 256},{(i // 256) % 256},{(i // 65536) % 256})",
                    "-draw", f"point {i % 32},{(i // 32) % 32}", "-draw", "point 31,31")


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def random_png(w=24, h=16):
    """A PNG of random pixels: never the same bytes twice, so never a shared blob (made
    here, without ImageMagick, for tests that upload many)."""
    raw = b"".join(b"\x00" + os.urandom(3 * w) for _ in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", zlib.compress(raw)) + _png_chunk(b"IEND", b"")


BASE32 = "abcdefghijklmnopqrstuvwxyz234567"


def random_name(ext="png"):
    """A stored file's name as the workers make them (20 base32 letters), at random."""
    return "".join(BASE32[b & 31] for b in os.urandom(20)) + "." + ext


def png_claiming(w, h):
    """A PNG whose header says w x h pixels, with one tiny compressed row: a pixel flood."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", ihdr) + _png_chunk(b"IDAT", idat) + _png_chunk(b"IEND", b"")


def truncated_jpeg():
    data = jpeg(800, 600, seed=7)
    return data[: len(data) // 2]


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
       b'<script>alert(1)</script><rect width="100" height="100"/></svg>')
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
TEXT = b"just some text, not a picture\n"

"""Hostile files for the end-to-end tests, generated on the spot (Python's standard
library, plus the real images of fixtures.py made with `convert` as raw material), and
the few looks inside the running stack that the hostile and fault tests need (the
supervisor and its workers, their memory, the rows against the files).

Nothing here talks to anything but 127.0.0.1 and the stack's own var folder."""

import hashlib
import os
import random
import subprocess
import struct
import zipfile
import io
import zlib
from functools import lru_cache

import fixtures as fx
from pathlib import Path

from stack import STORE, VAR, psql, store_path

# --- PNG -------------------------------------------------------------------------------

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_with_text(base, text, keyword=b"Comment"):
    """`base` (a PNG) with one more tEXt chunk right after IHDR: different bytes, same
    pixels.  Cheap unique images without running `convert` thousands of times."""
    assert base.startswith(PNG_MAGIC) and base[12:16] == b"IHDR"
    if isinstance(text, str):
        text = text.encode("latin-1", "replace")
    end_of_ihdr = 8 + 12 + 13
    return base[:end_of_ihdr] + png_chunk(b"tEXt", keyword + b"\0" + text) + base[end_of_ihdr:]


def unique_png(tag, w=24, h=24):
    """A small RGB PNG whose pixels (not just its metadata, which the store may strip)
    depend on `tag`: no two tags give the same stored bytes, so no deduplication.
    Only critical chunks, so metadata stripping leaves it byte for byte as it is."""
    digest = hashlib.sha256(str(tag).encode()).digest()
    rows = bytearray()
    for y in range(h):
        row = bytearray((x * 10 + y * 7) & 0xFF for x in range(3 * w))
        if y == 0:
            row[: len(digest)] = digest
        rows += b"\x00" + row
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return PNG_MAGIC + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(bytes(rows))) + png_chunk(b"IEND", b"")


def noise_png(w, h, seed):
    """An RGB PNG of random pixels: incompressible, so about 3*w*h bytes on disk."""
    rnd = random.Random(seed)
    rows = b"".join(b"\x00" + rnd.randbytes(3 * w) for _ in range(h))
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    return PNG_MAGIC + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib.compress(rows, 1)) + png_chunk(b"IEND", b"")


def flat_png(w, h, tag, colour_type=2):
    """A valid w x h 8-bit PNG (colour type 0 gray, 2 RGB or 3 palette of 256 grays) that is
    big in pixels and tiny on disk: a first row set from `tag` (so no two tags share
    bytes), then rows repeating it (filter Up, all zeros).  Made from one compressed row
    chained h - 1 times: 7000 x 7000 RGB is about 250 KB and takes no time to make."""
    channels = 3 if colour_type == 2 else 1
    digest = hashlib.sha256(str(tag).encode()).digest()
    first = b"\0" + bytes((x * 255 // (w * channels) + digest[x % 32]) & 0xFF for x in range(w * channels))
    same = b"\x02" + bytes(w * channels)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(first) + c.flush(zlib.Z_FULL_FLUSH)
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    row = c.compress(same) + c.flush(zlib.Z_FULL_FLUSH)
    adler = zlib.adler32(first)
    for _ in range(h - 1):
        adler = zlib.adler32(same, adler)
    idat = b"\x78\xda" + head + row * (h - 1) + b"\x03\x00" + struct.pack(">I", adler)
    ihdr = struct.pack(">IIBBBBB", w, h, 8, colour_type, 0, 0, 0)
    plte = png_chunk(b"PLTE", bytes(i for i in range(256) for _ in range(3))) if colour_type == 3 else b""
    return PNG_MAGIC + png_chunk(b"IHDR", ihdr) + plte + png_chunk(b"IDAT", idat) + png_chunk(b"IEND", b"")


def png_flood(w=100_000, h=100_000):
    """IHDR says w x h, the data is one tiny compressed row: a decompression bomb."""
    return fx.png_claiming(w, h)


def png_magic_then(payload):
    """PNG magic bytes, then something else entirely."""
    return PNG_MAGIC + payload


# --- PNG chunks that inflate (zlib bombs) ----------------------------------------------

_PIECE_MIB = 64


@lru_cache(None)
def _zeros_deflated(mib):
    """Raw deflate of `mib` MiB of zeros ending with a full flush: byte-aligned, not final
    and self-contained, so copies chain into one longer stream."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(bytes(mib << 20)) + c.flush(zlib.Z_FULL_FLUSH)


@lru_cache(None)
def zlib_bomb(mib=1024, prefix=b""):
    """A valid zlib stream (it ends, checksum and all) that inflates to `prefix` and then
    `mib` MiB of zeros: 1 GiB takes about 1 MB.  Made from one compressed 64 MiB piece
    repeated, so it costs a fraction of a second, once per run."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = c.compress(prefix) + c.flush(zlib.Z_FULL_FLUSH)
    whole, rest = divmod(mib, _PIECE_MIB)
    body = _zeros_deflated(_PIECE_MIB) * whole + (_zeros_deflated(rest) if rest else b"")
    adler = zlib.adler32(prefix)
    piece = bytes(_PIECE_MIB << 20)
    for _ in range(whole):
        adler = zlib.adler32(piece, adler)
    adler = zlib.adler32(bytes(rest << 20), adler)
    return b"\x78\xda" + head + body + b"\x03\x00" + struct.pack(">I", adler)


def icc_header(size, tags=0):
    """The 128-byte header of an RGB display ICC profile (v2.1) of `size` bytes, and its tag
    count: what libpng checks before it allocates `size` bytes and inflates into them."""
    head = (struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
            + struct.pack(">HHH", 2024, 1, 1) + b"\0" * 6 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
            + struct.pack(">III", 0xF6D6, 0x10000, 0xD32D) + b"\0" * 48)
    assert len(head) == 128
    return head + struct.pack(">I", tags)


def small_icc_profile():
    """A small but complete sRGB-like display profile (white point, sRGB primaries adapted
    to D50, gamma 2.2 curves): a real iCCP chunk's content, about 500 bytes."""
    def s15(v):
        return struct.pack(">i", round(v * 65536))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    text = b"imghost test sRGB"
    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0233) + b"\0\0"
    tags = [(b"desc", b"desc\0\0\0\0" + struct.pack(">I", len(text) + 1) + text + b"\0" * (1 + 4 + 4 + 2 + 1 + 67)),
            (b"wtpt", xyz(0.9505, 1.0, 1.0891)), (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)),
            (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)), (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve),
            (b"cprt", b"text\0\0\0\0No copyright, test profile\0")]
    table, data, offset = b"", b"", 132 + 12 * len(tags)
    for sig, d in tags:
        table += sig + struct.pack(">II", offset, len(d))
        padded = d + b"\0" * (-len(d) % 4)
        data += padded
        offset += len(padded)
    return icc_header(offset, len(tags)) + table + data


def compressed_chunk(kind, stream):
    """A zTXt, compressed iTXt or iCCP chunk holding the zlib stream `stream`."""
    if kind == b"zTXt":
        return png_chunk(kind, b"Comment\0\0" + stream)
    if kind == b"iTXt":
        return png_chunk(kind, b"XML:com.adobe.xmp\0\1\0en\0\0" + stream)
    if kind == b"iCCP":
        return png_chunk(kind, b"ICC Profile\0\0" + stream)
    raise ValueError(kind)


def png_chunk_bomb(kind, copies, base):
    """`base` (a PNG) with `copies` chunks of `kind` (zTXt, iTXt or iCCP) after its IHDR,
    each a zlib stream of 1 GiB: about 1 MB a copy.  The iCCP streams start with a valid
    profile header claiming 1 GiB, so libpng allocates that much before inflating."""
    assert base.startswith(PNG_MAGIC) and base[12:16] == b"IHDR"
    prefix = icc_header(1 << 30) if kind == b"iCCP" else b""
    chunk = compressed_chunk(kind, zlib_bomb(1024, prefix))
    return base[:33] + chunk * copies + base[33:]


def png_image_data_bomb(tag, mib=4992):
    """A 16x16 RGB PNG whose image data (IDAT) runs on past its pixels to `mib` MiB more of
    zeros: 4992 MiB in just under 5 MiB.  libpng inflates all of it, past the last row,
    before it reports "too much image data"."""
    digest = hashlib.sha256(str(tag).encode()).digest()
    rows = b"".join(b"\0" + (digest + digest)[:48] for _ in range(16))
    ihdr = struct.pack(">IIBBBBB", 16, 16, 8, 2, 0, 0, 0)
    return (PNG_MAGIC + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", zlib_bomb(mib, rows))
            + png_chunk(b"IEND", b""))


def png_compressed_chunks(data, cap=16 << 20):
    """(type, inflated size, capped at cap + 1) of every zTXt, compressed iTXt and iCCP
    chunk of the PNG `data`: what a browser would inflate from the stored file."""
    out, pos = [], 8
    while pos + 12 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        stream = None
        if kind in (b"zTXt", b"iCCP") and b"\0" in body:
            stream = body[body.index(b"\0") + 2:]
        elif kind == b"iTXt" and b"\0" in body:
            k = body.index(b"\0")
            if body[k + 1:k + 2] not in (b"", b"\0"):
                parts = body[k + 3:].split(b"\0", 2)
                stream = parts[2] if len(parts) == 3 else None
        if stream is not None:
            d = zlib.decompressobj()
            try:
                size = len(d.decompress(stream, cap + 1))
            except zlib.error:
                size = 0
            out.append((kind.decode(), size))
        if kind == b"IEND":
            break
    return out


# --- GIF -------------------------------------------------------------------------------

# One 1x1 frame, two-colour local table, LZW: clear(4), pixel 0, end(5) in 3-bit codes.
_GIF_FRAME_1x1 = (b"\x2c" + struct.pack("<HHHH", 0, 0, 1, 1) + b"\x80" + b"\x00\x00\x00\xff\xff\xff"
                  + b"\x02\x02\x44\x01\x00")
_GIF_GCE = b"\x21\xf9\x04\x00\x01\x00\x00\x00"  # graphic control: 1/100 s delay


def gif(screen_w=1, screen_h=1, frames=1, loop=True):
    """A structurally valid GIF89a: a logical screen of screen_w x screen_h and `frames`
    frames of 1x1 pixel each.  Built byte by byte, so 3000 frames cost nothing."""
    out = bytearray(b"GIF89a" + struct.pack("<HH", screen_w, screen_h) + b"\x00\x00\x00")
    if loop and frames > 1:
        out += b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
    for _ in range(frames):
        out += _GIF_GCE + _GIF_FRAME_1x1
    out += b";"
    return bytes(out)


def gif_frame_claiming(w, h):
    """A GIF89a of a 1x1 screen whose one frame's descriptor says w x h (its image data
    is one pixel): a pixel flood in the frame rather than in the logical screen."""
    frame = (b"\x2c" + struct.pack("<HHHH", 0, 0, w, h) + b"\x80" + b"\x00\x00\x00\xff\xff\xff"
             + b"\x02\x02\x44\x01\x00")
    return b"GIF89a" + struct.pack("<HH", 1, 1) + b"\x00\x00\x00" + _GIF_GCE + frame + b";"


def gif_js_polyglot():
    """A GIF that is also JavaScript: `GIF89a/*<binary>*/=alert(1)//`.  The width bytes
    are '/*' (a 10799 pixel wide logical screen), the script closes the comment after
    the trailer, where every GIF decoder has stopped reading."""
    head = b"GIF89a/*" + struct.pack("<H", 10) + b"\x00\x00\x00"
    body = head + _GIF_FRAME_1x1 + b";"
    assert b"*/" not in body
    return body + b"*/=alert(document.domain);//"


def gifar():
    """A GIF with a ZIP archive (a .jar, say) appended: the 'GIFAR' polyglot."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("META-INF/MANIFEST.MF", "Manifest-Version: 1.0\nMain-Class: Evil\n")
        z.writestr("index.html", "<script>alert(1)</script>")
    return gif(4, 4) + buf.getvalue()


# --- JPEG ------------------------------------------------------------------------------

def jpeg_segment(marker, payload):
    assert len(payload) + 2 <= 0xFFFF
    return b"\xff" + bytes([marker]) + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_comment(base, text):
    """`base` with a COM segment right after SOI: unique bytes, same pixels."""
    if isinstance(text, str):
        text = text.encode()
    return base[:2] + jpeg_segment(0xFE, text) + base[2:]


def jpeg_variant(base, tag):
    """`base` with the last three entries of its first quantization table set from a
    hash of `tag`: still a valid JPEG, with slightly different pixels and bytes, so no
    deduplication, even after metadata stripping (which keeps DQT)."""
    data = bytearray(base)
    i = 2
    while i < len(data) - 4:
        assert data[i] == 0xFF, "walked off the segment chain"
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker == 0xDB:
            assert data[i + 4] >> 4 == 0, "16-bit quantization table"
            table_end = i + 5 + 64
            digest = hashlib.sha256(str(tag).encode()).digest()
            data[table_end - 3:table_end] = bytes(1 + b % 255 for b in digest[:3])
            return bytes(data)
        i += 2 + length
    raise AssertionError("no DQT segment")


def jpeg_html_after_eoi():
    """A real JPEG with an HTML page after its EOI marker."""
    return fx.jpeg(160, 120, seed=31) + b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"


def jpeg_html_in_comment():
    return jpeg_with_comment(fx.jpeg(160, 120, seed=32), b"<html><script>alert(1)</script></html>")


def jpeg_sof_claiming(w, h):
    """A real JPEG whose SOF header is patched to say w x h: a pixel flood."""
    data = bytearray(fx.jpeg(64, 48, seed=33))
    i = 2
    while i < len(data) - 9:
        assert data[i] == 0xFF, "walked off the segment chain"
        marker = data[i + 1]
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        if marker in (0xC0, 0xC1, 0xC2):
            data[i + 5:i + 9] = struct.pack(">HH", h, w)
            return bytes(data)
        i += 2 + length
    raise AssertionError("no SOF segment")


def _exif_payload(size, cyclic=False):
    """An APP1 Exif payload of exactly `size` bytes whose IFD entries claim gigabytes:
    an entry count of 65535 (the segment holds far fewer), MakerNote and
    ImageDescription with counts near 2**31 and 2**32, an Exif sub-IFD pointer, and
    (cyclic) a next-IFD offset that points back at the same IFD."""
    tiff = bytearray(b"II*\x00" + struct.pack("<I", 8))
    tiff += struct.pack("<H", 0xFFFF)
    entries = [
        (0x010E, 2, 0xFFFFFFF0, 8),          # ImageDescription, ASCII, 4 GiB
        (0x927C, 7, 0x7FFFFFFF, 8),          # MakerNote, UNDEFINED, 2 GiB
        (0x8769, 4, 1, 8),                   # Exif IFD pointer: back to this IFD
        (0x8825, 4, 1, 8),                   # GPS IFD pointer: same
        (0x0111, 4, 0x3FFFFFFF, 8),          # StripOffsets, LONG x 1 G
        (0x0201, 4, 1, 0xFFFFFFF0),          # JPEGInterchangeFormat far outside
        (0x0202, 4, 1, 0x7FFFFFFF),          # JPEGInterchangeFormatLength 2 GiB
    ]
    body_room = size - 6 - 4  # "Exif\0\0", next-IFD offset
    while len(tiff) + 12 <= body_room:
        tag, typ, count, off = entries[(len(tiff) // 12) % len(entries)]
        tiff += struct.pack("<HHII", tag, typ, count, off)
    tiff += struct.pack("<I", 8 if cyclic else 0xFFFFFFF0)
    payload = b"Exif\x00\x00" + bytes(tiff)
    return payload + b"\x00" * (size - len(payload))


def jpeg_exif_bomb(segments=60):
    """A real JPEG behind `segments` APP1 segments of 65535 bytes each (length field
    0xFFFF), every one an Exif block claiming gigabytes of tag data: about 4 MB that
    claims far more than 10 MB, under the 5 MiB upload limit."""
    base = fx.jpeg(200, 150, seed=34)
    app1 = jpeg_segment(0xE1, _exif_payload(0xFFFF - 2, cyclic=True))
    assert app1[2:4] == b"\xff\xff"
    return base[:2] + app1 * segments + base[2:]


def jpeg_exif_short():
    """SOI, an APP1 whose length says 65535, and then the file ends after 100 bytes."""
    return b"\xff\xd8\xff\xe1\xff\xff" + _exif_payload(100)


# --- WebP ------------------------------------------------------------------------------

def _riff(chunks):
    body = b"WEBP" + chunks
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _webp_chunk(fourcc, payload):
    return fourcc + struct.pack("<I", len(payload)) + payload + (b"\x00" if len(payload) & 1 else b"")


def webp_canvas_flood(w=16384, h=16384):
    """An extended WebP (VP8X) whose canvas is w x h, holding a real small image."""
    real = fx.webp()
    assert real[12:16] == b"VP8 "
    vp8x = _webp_chunk(b"VP8X", b"\x00\x00\x00\x00" + (w - 1).to_bytes(3, "little") + (h - 1).to_bytes(3, "little"))
    return _riff(vp8x + real[12:])


def webp_animation_bomb(frames=3000):
    """An animated WebP (VP8X + ANIM) with `frames` tiny ANMF frames."""
    vp8x = _webp_chunk(b"VP8X", b"\x02\x00\x00\x00" + (0).to_bytes(3, "little") + (0).to_bytes(3, "little"))
    anim = _webp_chunk(b"ANIM", b"\x00\x00\x00\x00\x00\x00")
    vp8l_1x1 = _webp_chunk(b"VP8L", b"\x2f\x00\x00\x00\x00\x00\x00\x00\x00")
    anmf = _webp_chunk(b"ANMF", b"\x00" * 6 + b"\x00\x00\x00" + b"\x00\x00\x00" + b"\x01\x00\x00" + b"\x00" + vp8l_1x1)
    return _riff(vp8x + anim + anmf * frames)


# --- ImageTragick-style payloads: none may ever reach an ImageMagick coder -------------

def mvg_url(target_url):
    return (b"push graphic-context\nviewbox 0 0 640 480\n"
            + b"fill 'url(" + target_url.encode() + b"\"|ls \"-la)'\n"
            + b"pop graphic-context\n")


def mvg_ephemeral(path):
    """MVG that would read (and delete) `path` through the ephemeral: coder."""
    return (b"push graphic-context\nviewbox 0 0 640 480\n"
            + b"image over 0,0 0,0 'ephemeral:" + str(path).encode() + b"'\n"
            + b"pop graphic-context\n")


def mvg_label_file(path):
    return (b"push graphic-context\nviewbox 0 0 640 480\n"
            + b"image over 0,0 0,0 'label:@" + str(path).encode() + b"'\n"
            + b"pop graphic-context\n")


def msl_write(read_url, write_path):
    return (b'<?xml version="1.0" encoding="UTF-8"?>\n<image>\n<read filename="' + read_url.encode()
            + b'" />\n<write filename="' + str(write_path).encode() + b'" />\n</image>\n')


def svg_external(href):
    return (b'<?xml version="1.0" standalone="no"?>\n'
            b'<svg width="64" height="64" xmlns="http://www.w3.org/2000/svg" '
            b'xmlns:xlink="http://www.w3.org/1999/xlink">\n'
            b'<image xlink:href="' + href.encode() + b'" x="0" y="0" height="64" width="64"/>\n</svg>\n')


def svg_msl(path):
    """SVG that points an <image> at an msl: file (the ImageTragick MSL chain)."""
    return (b'<?xml version="1.0" standalone="no"?>\n<svg width="64" height="64" '
            b'xmlns:xlink="http://www.w3.org/1999/xlink" xmlns="http://www.w3.org/2000/svg">'
            b'<image xlink:href="msl:' + str(path).encode() + b'" height="64" width="64"/></svg>\n')


# --- damage applied to good files ------------------------------------------------------

MAGIC_LEN = {"jpeg": 3, "png": 8, "gif": 6, "webp": 12}


def base_images():
    """One real file per accepted format, made by `convert`."""
    return {
        "jpeg": fx.jpeg(320, 240, seed=35),
        "png": fx.png(160, 120, "darkorange"),
        "gif": fx.gif_animated(),
        "webp": fx.webp(),
    }


def truncated(data, fraction):
    return data[: int(len(data) * fraction)]


def bit_flipped(data, seed, flips=8, start_fraction=0.25):
    """`flips` bytes of the data region (past the headers: from start_fraction of the
    file on, never the last two bytes) XORed with a random non-zero value."""
    rnd = random.Random(seed)
    out = bytearray(data)
    lo, hi = max(int(len(data) * start_fraction), 16), len(data) - 2
    for _ in range(flips):
        i = rnd.randrange(lo, hi)
        out[i] ^= rnd.randrange(1, 256)
    return bytes(out)


def pixels(data):
    """Every frame's pixels as 8-bit RGBA, decoded by `convert`: to check that a stored
    file whose metadata was stripped still has exactly the uploaded pixels."""
    r = subprocess.run(["convert", "-", "-depth", "8", "rgba:-"], input=data, capture_output=True, timeout=60)
    assert r.stdout, f"convert could not decode: {r.stderr[:300]!r}"
    return r.stdout


# --- inside the running stack ----------------------------------------------------------

def supervisor_pid(var=None):
    return int(((var or VAR) / "run" / "imghost.pid").read_text().strip())


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat", "rb") as f:
        raw = f.read().decode("ascii", "replace")
    # comm is in parentheses and may hold spaces: split after the last ')'.
    return raw[raw.rindex(")") + 2:].split()


def children_of(ppid):
    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = _stat_fields(entry)
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
        if int(fields[1]) == ppid and fields[0] != "Z":
            out.add(int(entry))
    return out


def worker_pids(var=None):
    return children_of(supervisor_pid(var))


def process_state(pid):
    """The one-letter state (R running, S sleeping, D disk wait...) and utime+stime."""
    f = _stat_fields(pid)
    return f[0], int(f[11]) + int(f[12])


def alive(pid):
    try:
        return _stat_fields(pid)[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError):
        return False


def memory_kib(pid):
    """{'VmRSS': kib, 'VmHWM': kib} of a process."""
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    return out


class PeakMemory:
    """The peak RSS (VmHWM) of each worker of the stack in `var` over a block: the peaks are
    reset first (clear_refs 5), so what a long-lived worker reached before cannot hide
    what happens now, nor be blamed on it."""

    def __init__(self, var=None):
        self.var = var

    def __enter__(self):
        self.workers = worker_pids(self.var)
        for pid in self.workers:
            with open(f"/proc/{pid}/clear_refs", "w") as f:
                f.write("5")
        self.before = {pid: memory_kib(pid)["VmHWM"] for pid in self.workers}
        return self

    def __exit__(self, *exc):
        self.peaks = {pid: memory_kib(pid)["VmHWM"] for pid in self.workers if alive(pid)}
        return False


def store_names(root=None):
    """Names of every original in the store (not thumbnails, not staged files).  Like
    stack.store_files(), but a plain scandir walk: several times faster on a big store,
    and the hostile tests take this snapshot twice per case."""
    out = set()
    root = Path(root or STORE)
    with os.scandir(root) as level1:
        for d1 in level1:
            if len(d1.name) != 2 or d1.name == "." or not d1.is_dir(follow_symlinks=False):
                continue
            with os.scandir(d1.path) as files:
                out.update(e.name for e in files if e.is_file(follow_symlinks=False))
    return out


def rows_without_file(psql_fn=psql, path_fn=store_path):
    """Files that image rows name and the store lacks: must always be empty."""
    names = [n for n in psql_fn("SELECT DISTINCT name FROM images").splitlines() if n]
    return [n for n in names if not path_fn(n).is_file()]

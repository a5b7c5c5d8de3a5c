"""2. The test images: made once with ImageMagick from fixed seeds (cached in
bench/scratch/images), and where each request writes its number into them (slots, see
bench/upload.lua) so that every upload's bytes are unique."""

import json
import os
import shutil
import zlib

from .config import IMAGES_DIR, run, say

GENERATOR_VERSION = "5"
IMAGES = [
    # key, label, file name, target bytes
    {"key": "png20k", "label": "20 KB PNG (400x300, palette)", "file": "png-400x300-20k.png", "target": 20_000},
    {"key": "jpeg300k", "label": "300 KB 1920x1080 JPEG", "file": "jpeg-1920x1080-300k.jpg", "target": 300_000},
    {"key": "jpeg3m", "label": "3 MB 4000x3000 JPEG (12 MP)", "file": "jpeg-4000x3000-3m.jpg", "target": 3_000_000},
    {"key": "gif3", "label": "3-frame GIF (200x150)", "file": "gif-200x150-3frames.gif", "target": None},
]
IMG = {i["key"]: i for i in IMAGES}


def convert(*args):
    # ImageMagick's plasma and noise draw from one seeded generator: one thread keeps
    # them deterministic.
    env = dict(os.environ, OMP_NUM_THREADS="1", MAGICK_THREAD_LIMIT="1")
    run(["/usr/bin/convert", *args], env=env)


def closest(candidates, make, target):
    """make(c) writes the file for candidate c and returns its size; keeps the closest."""
    best = None
    for c in candidates:
        size = make(c)
        if best is None or abs(size - target) < abs(best[1] - target):
            best = (c, size)
    make(best[0])
    return best[0]


def search_quality(make, target, lo=50, hi=98):
    """JPEG size grows with quality: bisect, then keep the closest of the two ends."""
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if make(mid) < target:
            lo = mid
        else:
            hi = mid
    return closest([lo, hi], make, target)


def slots_of(data):
    """Where a request's number goes in this file (see bench/upload.lua): fields that
    change neither pixels nor decoding work and that imghost's metadata stripper keeps.
    Returns the SLOTS string for upload.lua."""
    if data[:2] == b"\xff\xd8":
        # APP0 "JFIF\0" right after SOI: version(2) units(1) Xdensity(2) Ydensity(2)
        if data[2:4] != b"\xff\xe0" or data[6:11] != b"JFIF\x00":
            raise ValueError("JPEG without a JFIF APP0 segment first")
        return "be16:14:1:65535,be16:16:1:65535"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        pos = 8
        while pos + 8 <= len(data):
            n = int.from_bytes(data[pos:pos + 4], "big")
            if data[pos + 4:pos + 8] == b"pHYs":
                # pixels per unit X (4 bytes), Y (4), unit (1); CRC over type + data
                return f"be32:{pos + 8}:1000:2000000000;crc:{pos + 4}:{pos + 8 + n}:{pos + 8 + n}"
            pos += 12 + n
        raise ValueError("PNG without a pHYs chunk")
    if data[:3] == b"GIF":
        flags = data[10]
        pos = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
        slots = []
        while pos < len(data):
            b = data[pos]
            if b == 0x3B:
                break
            if b == 0x21:
                label = data[pos + 1]
                if label == 0xF9:  # Graphic Control: size 4, packed, delay (LE 16), transparent index
                    slots.append(f"le16:{pos + 4}:10:1300")
                pos += 2
            elif b == 0x2C:
                f = data[pos + 9]
                pos += 10 + (3 * 2 ** ((f & 7) + 1) if f & 0x80 else 0) + 1  # + LZW minimum code size
            else:
                raise ValueError(f"GIF: unexpected block 0x{b:02x} at {pos}")
            while data[pos]:  # data sub-blocks
                pos += 1 + data[pos]
            pos += 1
        if len(slots) < 3:
            raise ValueError("GIF without a Graphic Control Extension per frame")
        return ",".join(slots)
    raise ValueError("unknown image format")


def variant(data, slots, n):
    """The file with number n written into its slots, as upload.lua does."""
    out = bytearray(data)
    spec, _, crc = slots.partition(";")
    for s in sorted(spec.split(","), key=lambda x: int(x.split(":")[1])):
        kind, off, lo, radix = s.split(":")
        off, lo, radix = int(off), int(lo), int(radix)
        v, n = lo + n % radix, n // radix
        width = 4 if kind == "be32" else 2
        out[off:off + width] = v.to_bytes(width, "little" if kind == "le16" else "big")
    if crc:
        _, first, last, at = crc.split(":")
        out[int(at):int(at) + 4] = zlib.crc32(bytes(out[int(first):int(last)])).to_bytes(4, "big")
    return bytes(out)


def make_images():
    IMAGES_DIR.mkdir(parents=True, exist_ok=True)
    manifest = IMAGES_DIR / "manifest.json"
    if manifest.exists():
        m = json.loads(manifest.read_text())
        if m.get("version") == GENERATOR_VERSION and all((IMAGES_DIR / i["file"]).exists() for i in IMAGES):
            for i in IMAGES:
                i.update(m["images"][i["key"]])
            say("images: cached in bench/scratch/images")
            return
    say("images: generating (once; cached in bench/scratch/images)")
    for old in IMAGES_DIR.iterdir():
        if old.is_file():
            old.unlink()
    tmp = IMAGES_DIR / "tmp"
    tmp.mkdir(exist_ok=True)
    params = {}
    dpi = ["-density", "72", "-units", "PixelsPerInch"]

    # PNG: a flat-colour graphic (palette), the typical small PNG upload.
    out = IMAGES_DIR / IMG["png20k"]["file"]

    def png(colors):
        convert("-seed", "44", "-size", "400x300", "plasma:fractal", "-depth", "8", "+dither", "-colors", str(colors),
                *dpi, "-define", "png:exclude-chunks=date,time", out)
        return out.stat().st_size
    params["png20k"] = {"colors": closest([12, 14, 16, 18, 20, 22, 24, 28, 32], png, 20_000)}

    # JPEGs: plasma plus grain, 4:2:0 like a camera, quality searched for the size.
    for key, size, seed, grain, target in (("jpeg300k", "1920x1080", "42", "0.25", 300_000),
                                           ("jpeg3m", "4000x3000", "43", "0.4", 3_000_000)):
        base = tmp / f"{key}.miff"
        convert("-seed", seed, "-size", size, "plasma:fractal", "-blur", "0x1", "-attenuate", grain,
                "+noise", "Gaussian", base)
        out_j = IMAGES_DIR / IMG[key]["file"]

        def jpeg(q, base=base, out_j=out_j):
            convert(base, *dpi, "-sampling-factor", "2x2", "-quality", str(q), out_j)
            return out_j.stat().st_size
        params[key] = {"quality": search_quality(jpeg, target), "grain": grain}

    # GIF: three frames, looping, 0.2 s each.
    out = IMAGES_DIR / IMG["gif3"]["file"]
    convert("-seed", "45", "-size", "200x150", "plasma:fractal", "plasma:fractal", "plasma:fractal",
            "-set", "delay", "20", "-loop", "0", out)
    params["gif3"] = {"delay_cs": 20}
    shutil.rmtree(tmp)

    images = {}
    for i in IMAGES:
        path = IMAGES_DIR / i["file"]
        data = path.read_bytes()
        slots = slots_of(data)
        ident = run(["identify", "-format", "%m %w %h\n", path], capture_output=True, text=True).stdout.split("\n")
        frames = [line.split() for line in ident if line.strip()]
        info = {"bytes": len(data), "format": frames[0][0].lower(), "width": int(frames[0][1]),
                "height": int(frames[0][2]), "frames": len(frames), "params": params[i["key"]], "slots": slots}
        # two variants must be valid and different images of the same pixels
        for n in (1, 2**31 - 1):
            v = path.with_suffix(".check" + path.suffix)
            v.write_bytes(variant(data, slots, n))
            run(["identify", "-regard-warnings", v], capture_output=True)
            v.unlink()
        images[i["key"]] = info
        i.update(info)
    manifest.write_text(json.dumps({"version": GENERATOR_VERSION, "images": images}, indent=1))
    for i in IMAGES:
        say(f"  {i['file']}: {i['bytes']} bytes, {i['width']}x{i['height']}, {i['frames']} frame(s)")




BIG_FILE_LIMIT = 5 * 2**20  # imghost's default max_file_size


def big_jpeg():
    """A 4000x3000 JPEG just under the default file limit (5 MiB), for the request of 20
    such files: plasma plus strong grain, 4:4:4, the highest quality that fits.  Made once
    (cached); returns (path, bytes, slots)."""
    out = IMAGES_DIR / f"jpeg-4000x3000-5m-v{GENERATOR_VERSION}.jpg"
    if not out.exists():
        say("images: generating the 5 MiB JPEG (once)")
        base = IMAGES_DIR / "big-base.miff"
        convert("-seed", "46", "-size", "4000x3000", "plasma:fractal", "-blur", "0x1", "-attenuate", "0.8",
                "+noise", "Gaussian", base)
        tmp = out.with_suffix(".tmp.jpg")
        for q in range(97, 60, -3):
            convert(base, "-density", "72", "-units", "PixelsPerInch", "-sampling-factor", "1x1", "-quality", str(q),
                    tmp)
            if tmp.stat().st_size <= BIG_FILE_LIMIT - 4096:
                break
        base.unlink()
        tmp.replace(out)
    data = out.read_bytes()
    return out, data, slots_of(data)

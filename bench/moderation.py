#!/usr/bin/env python3
"""The block list's perceptual hash, measured on real pictures: by default the
photographs of Debian's mate-backgrounds (/usr/share/backgrounds/mate/nature; scripts/deps
bench installs it), or the pictures of the folder given as the argument (e.g.
/usr/share/backgrounds/gnome, rendered art), each scaled to 1280 pixels wide as the
"original", and edited copies made here with ImageMagick.  For each original in
turn: ban it (POST /api/v1/admin/blocks), upload its edited copies (each should be 451
`blocked`: a caught edit) and every other original (each should be 201: a 451 is a
false block), then lift the ban.

Runs against a stack that is already up (tests/e2e's: IMGHOST_PORT, IMGHOST_VAR) with
an admin's API token in IMGHOST_ADMIN_TOKEN.  Prints one line per edit and the totals."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "e2e"))
from stack import request, upload  # noqa: E402

SOURCES = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/backgrounds/mate/nature")
EDITS = {
    "re-encoded JPEG q60": ("q60.jpg", "-quality", "60"),
    "resized to 50%": ("half.jpg", "-resize", "50%"),
    "resized to 25%": ("quarter.jpg", "-resize", "25%"),
    "cropped 5% (centre)": ("crop.jpg", "-gravity", "center", "-crop", "95%x95%+0+0", "+repage"),
    "cropped 10% (corner)": ("crop10.jpg", "-crop", "90%x90%+0+0", "+repage"),
    "converted to PNG": ("as.png",),
    "converted to WebP q70": ("as.webp", "-quality", "70"),
    "brightness +8%": ("bright.jpg", "-modulate", "108"),
}


def convert(src, out, *args):
    subprocess.run(["convert", str(src), *args, "-strip", str(out)], check=True)
    return out.read_bytes()


def api(method, path, body=None):
    h = {"Authorization": "Bearer " + os.environ["IMGHOST_ADMIN_TOKEN"], "Content-Type": "application/json"}
    return request(method, path, body=json.dumps(body) if body is not None else None, headers=h)


def main():
    with tempfile.TemporaryDirectory() as d:
        d = Path(d)
        originals = {}
        for f in sorted(SOURCES.glob("*.webp")) + sorted(SOURCES.glob("*.jpg")) + sorted(SOURCES.glob("*.png")):
            if f.stat().st_size < 4096:
                continue  # the tiny flat tiles are not pictures
            originals[f.stem] = convert(f, d / f"{f.stem}.jpg", "-resize", "1280x1280>", "-quality", "90")
        caught = {e: 0 for e in EDITS}
        false_blocks = []
        for stem, data in originals.items():
            r = upload([(f"{stem}.jpg", data)])
            if r.status != 201:
                print(f"{stem}: upload {r.status} {r.text[:100]}", file=sys.stderr)
                continue
            b = api("POST", "/api/v1/admin/blocks", {"target": r.json()["id"], "reason": "bench"})
            assert b.status == 201, b.text
            src = d / f"{stem}.jpg"
            for what, (name, *args) in EDITS.items():
                got = upload([(name, convert(src, d / name, *args))])
                caught[what] += got.status == 451
            for other, other_data in originals.items():
                if other != stem and upload([(f"{other}.jpg", other_data)]).status == 451:
                    false_blocks.append((stem, other))
            api("DELETE", f"/api/v1/admin/blocks/{b.json()['id']}?reason=bench")
        n = len(originals)
        for what, c in caught.items():
            print(f"{what:24} caught {c}/{n}")
        print(f"edited copies caught: {sum(caught.values())}/{n * len(EDITS)}; "
              f"false blocks: {len(false_blocks)}/{n * (n - 1)} {false_blocks}")


if __name__ == "__main__":
    main()

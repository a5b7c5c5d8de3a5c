"""Privacy: camera and GPS metadata never reach the stored file, pixels never change, and
the orientation survives (strip_metadata = true, the default)."""

import hashlib
import struct
import subprocess
import unittest
import zlib

import fixtures as fx
from stack import get, upload


def exif_app1(make, orientation, gps_latitude_ref):
    """An APP1 Exif segment (little endian): IFD0 with Make, Orientation and a GPS IFD pointer;
    the GPS IFD with GPSLatitudeRef."""
    make_b = make.encode() + b"\0"
    entries = 3
    ifd0_size = 2 + entries * 12 + 4
    make_off = 8 + ifd0_size
    gps_off = make_off + len(make_b)
    ifd0 = struct.pack("<H", entries)
    ifd0 += struct.pack("<HHII", 0x010F, 2, len(make_b), make_off)          # Make
    ifd0 += struct.pack("<HHIHH", 0x0112, 3, 1, orientation, 0)              # Orientation
    ifd0 += struct.pack("<HHII", 0x8825, 4, 1, gps_off)                      # GPS IFD
    ifd0 += struct.pack("<I", 0)
    gps = struct.pack("<H", 1) + struct.pack("<HHI", 0x0001, 2, 2) + gps_latitude_ref.encode()[:1] + b"\0\0\0"
    gps += struct.pack("<I", 0)
    tiff = b"II*\0" + struct.pack("<I", 8) + ifd0 + make_b + gps
    payload = b"Exif\0\0" + tiff
    return b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload


def pixels(data):
    r = subprocess.run(["convert", "jpeg:-", "rgb:-"], input=data, capture_output=True, check=True)
    return hashlib.sha256(r.stdout).hexdigest()


class MetadataIsStripped(unittest.TestCase):
    def test_gps_and_camera_are_removed_orientation_and_pixels_kept(self):
        clean = fx.jpeg(400, 300, seed=91)
        spiced = clean[:2] + exif_app1("SpyCam-9000", 6, "N") + clean[2:]
        self.assertIn(b"SpyCam", spiced)
        r = upload([("holiday.jpg", spiced)])
        self.assertEqual(r.status, 201, r.text)
        obj = r.json()
        stored = get(obj["url"]).body
        self.assertNotIn(b"SpyCam", stored)
        self.assertNotIn(b"\x25\x88", stored, "no GPS IFD pointer tag left")
        self.assertIn(b"Exif\0\0", stored, "a minimal EXIF keeps the orientation")
        self.assertEqual(obj["size"], len(stored))
        self.assertEqual(obj["sha256"], hashlib.sha256(stored).hexdigest())
        self.assertEqual(pixels(stored), pixels(spiced), "pixels are the uploaded ones")
        r = subprocess.run(["identify", "-format", "%[EXIF:Orientation]", "jpeg:-"], input=stored,
                           capture_output=True, check=True)
        self.assertEqual(r.stdout.strip(), b"6")

    def test_png_text_chunks_are_removed(self):
        data = fx._convert("commented.png", "-size", "40x30", "xc:orange", "-set", "comment", "secret-location")
        self.assertNotIn(b"secret-location", data)  # -strip in fixtures removes it: add one by hand
        chunk = b"tEXt" + b"Comment\0secret-location"
        text = struct.pack(">I", len(chunk) - 4) + chunk + struct.pack(">I", zlib.crc32(chunk) & 0xFFFFFFFF)
        spiced = data[:33] + text + data[33:]
        r = upload([("c.png", spiced)])
        self.assertEqual(r.status, 201, r.text)
        stored = get(r.json()["url"]).body
        self.assertNotIn(b"secret-location", stored)
        self.assertEqual(stored, data, "only the text chunk is gone")

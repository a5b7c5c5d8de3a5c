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


def segment(marker, payload):
    return bytes([0xFF, marker]) + struct.pack(">H", len(payload) + 2) + payload


def gps_exif_app1(make):
    """An APP1 Exif segment (big endian) as a phone writes one: IFD0 with Make and a GPS IFD
    pointer; the GPS IFD with GPSLatitudeRef, GPSLatitude, GPSLongitudeRef, GPSLongitude."""
    make_b = make.encode() + b"\0"
    ifd0_size = 2 + 2 * 12 + 4
    gps_off = 8 + ifd0_size
    gps_size = 2 + 4 * 12 + 4
    make_off = gps_off + gps_size
    lat_off = make_off + len(make_b)
    lon_off = lat_off + 24
    ifd0 = struct.pack(">H", 2)
    ifd0 += struct.pack(">HHII", 0x010F, 2, len(make_b), make_off)      # Make
    ifd0 += struct.pack(">HHII", 0x8825, 4, 1, gps_off)                 # GPS IFD
    ifd0 += struct.pack(">I", 0)
    gps = struct.pack(">H", 4)
    gps += struct.pack(">HHI", 0x0001, 2, 2) + b"N\0\0\0"              # GPSLatitudeRef
    gps += struct.pack(">HHII", 0x0002, 5, 3, lat_off)                  # GPSLatitude
    gps += struct.pack(">HHI", 0x0003, 2, 2) + b"E\0\0\0"              # GPSLongitudeRef
    gps += struct.pack(">HHII", 0x0004, 5, 3, lon_off)                  # GPSLongitude
    gps += struct.pack(">I", 0)
    data = make_b + struct.pack(">6I", 52, 1, 31, 1, 1234, 100) + struct.pack(">6I", 13, 1, 24, 1, 5678, 100)
    return segment(0xE1, b"Exif\0\0" + b"MM\0*" + struct.pack(">I", 8) + ifd0 + gps + data)


def first_scan_end(jpeg):
    """Where the first scan's entropy-coded data ends: the first 0xFF after the first SOS
    segment that is neither stuffing (0xFF00) nor a restart marker."""
    sos = jpeg.index(b"\xff\xda")
    at = sos + 2 + struct.unpack(">H", jpeg[sos + 2:sos + 4])[0]
    while True:
        at = jpeg.index(b"\xff", at)
        if jpeg[at + 1] != 0 and not 0xD0 <= jpeg[at + 1] <= 0xD7:
            return at
        at += 2


def identify_verbose(data):
    r = subprocess.run(["identify", "-verbose", "jpeg:-"], input=data, capture_output=True, check=True)
    return r.stdout


class JpegMetadataAfterTheFirstScan(unittest.TestCase):
    """EXIF between the scans of a progressive JPEG and images appended after EOI (phones'
    Multi-Picture Format) never reach the stored file; the image data stays byte for byte."""

    def assert_stored_is_clean(self, name, spiced, clean):
        r = upload([(name, spiced)])
        self.assertEqual(r.status, 201, r.text)
        stored = get(r.json()["url"]).body
        # (counts, not assertNotIn: a failure would print the whole file)
        self.assertEqual(stored.count(b"Exif"), 0, "an EXIF block is left")
        self.assertEqual(stored.count(b"SpyPhone"), 0, "the camera's name or comment is left")
        self.assertNotIn(b"GPS", identify_verbose(stored))
        self.assertEqual(pixels(stored), pixels(spiced), "pixels are the uploaded ones")
        self.assertTrue(stored == clean, f"only the metadata is gone, every scan is there byte for byte "
                                         f"(stored {len(stored)} bytes, clean file {len(clean)})")

    def test_exif_between_the_scans_of_a_progressive_jpeg(self):
        clean = fx._convert("progressive-320x240-94.jpg", "-seed", "94", "-size", "320x240", "plasma:",
                            "-interlace", "Plane", "-quality", "85")
        self.assertGreater(clean.count(b"\xff\xda"), 1, "a progressive file has several scans")
        at = first_scan_end(clean)
        spiced = clean[:at] + gps_exif_app1("SpyPhone-7") + segment(0xFE, b"SpyPhone was here") + clean[at:]
        self.assertIn(b"exif:GPSLatitude: 52/1, 31/1, 1234/100", identify_verbose(spiced),
                      "ImageMagick reads the EXIF between the scans")
        self.assert_stored_is_clean("progressive.jpg", spiced, clean)

    def test_second_image_appended_after_eoi(self):
        clean = fx.jpeg(320, 240, seed=95)
        secondary = fx.jpeg(160, 120, seed=96)
        secondary = secondary[:2] + gps_exif_app1("SpyPhone-7") + secondary[2:]
        self.assertIn(b"exif:GPSLatitude: 52/1, 31/1, 1234/100", identify_verbose(secondary))
        # MPF APP2 (CIPA DC-007): "MPF\0", then a TIFF structure whose MP Index IFD lists both
        # images; offsets count from the TIFF header, the primary image's size includes the APP2.
        mp_entries = 3
        ifd_size = 2 + mp_entries * 12 + 4
        mpf_size = 2 + 2 + 4 + 8 + ifd_size + 32
        primary_size = len(clean) + mpf_size
        tiff_start = 2 + 4 + 4  # SOI, APP2 marker and length, "MPF\0"
        entries = struct.pack(">IIIHH", 0x20030000, primary_size, 0, 0, 0)
        entries += struct.pack(">IIIHH", 0x00020002, len(secondary), primary_size - tiff_start, 0, 0)
        ifd = struct.pack(">H", mp_entries)
        ifd += struct.pack(">HHI", 0xB000, 7, 4) + b"0100"                  # MPFVersion
        ifd += struct.pack(">HHII", 0xB001, 4, 1, 2)                        # NumberOfImages
        ifd += struct.pack(">HHII", 0xB002, 7, 32, 8 + ifd_size)            # MPEntry
        ifd += struct.pack(">I", 0)
        mpf = segment(0xE2, b"MPF\0" + b"MM\0*" + struct.pack(">I", 8) + ifd + entries)
        self.assertEqual(len(mpf), mpf_size)
        spiced = clean[:2] + mpf + clean[2:] + secondary
        self.assert_stored_is_clean("mpf.jpg", spiced, clean)

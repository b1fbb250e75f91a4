"""Photo thumbnails and capture times, from real JPEG/PNG files made with Pillow."""

import io
from datetime import datetime, timedelta, timezone

from PIL import Image

from qingshen.evidence.images import SHANGHAI, capture_time, thumbnail_jpeg
from qingshen.files.tests import samples


def test_thumbnail_is_a_small_jpeg_turned_upright():
    # Stored landscape 640×480 with Orientation 6: the camera was held upright (portrait).
    small = thumbnail_jpeg(samples.jpeg_bytes(size=(640, 480), orientation=6))
    with Image.open(io.BytesIO(small)) as image:
        assert image.format == "JPEG"
        assert image.size == (240, 320)
        # The red marker stored top-left ends up top-right once turned 90° clockwise.
        red = image.convert("RGB").getpixel((image.width - 5, 5))
        blue = image.convert("RGB").getpixel((5, 5))
    assert red[0] > 200 and red[2] < 80
    assert blue[2] > 150


def test_thumbnail_of_a_transparent_png_is_an_rgb_jpeg_no_larger_than_the_original():
    small = thumbnail_jpeg(samples.png_bytes(size=(100, 60), mode="RGBA"))
    with Image.open(io.BytesIO(small)) as image:
        assert (image.format, image.mode, image.size) == ("JPEG", "RGB", (100, 60))


def test_thumbnail_of_something_that_is_not_an_image_is_none():
    assert thumbnail_jpeg(samples.pdf_bytes()) is None


def test_capture_time_reads_datetimeoriginal_as_shanghai_time():
    taken = capture_time(samples.jpeg_bytes(taken="2022:01:15 10:30:00", taken_plain="2023:05:01 08:00:00"))
    assert taken == datetime(2022, 1, 15, 10, 30, tzinfo=SHANGHAI)
    assert taken.astimezone(timezone.utc) == datetime(2022, 1, 15, 2, 30, tzinfo=timezone.utc)


def test_capture_time_falls_back_to_datetime_and_honours_an_offset():
    assert capture_time(samples.jpeg_bytes(taken_plain="2023:05:01 08:00:00")) == datetime(
        2023, 5, 1, 8, 0, tzinfo=SHANGHAI)
    with_offset = capture_time(samples.jpeg_bytes(taken="2022:01:15 10:30:00", offset="+09:00"))
    assert with_offset.utcoffset() == timedelta(hours=9)


def test_no_exif_or_a_broken_date_gives_no_capture_time():
    assert capture_time(samples.jpeg_bytes()) is None
    assert capture_time(samples.png_bytes()) is None
    assert capture_time(samples.jpeg_bytes(taken="0000:00:00 00:00:00")) is None

"""Photos: a small JPEG thumbnail for lists, and when the photo was taken.

The capture time matters to reviewers (a site photo taken before the audit began is no proof
of the work), so it is read from EXIF DateTimeOriginal, falling back to DateTime. Cameras
write naive local times; here they are read as Asia/Shanghai, unless the EXIF carries its own
offset (OffsetTimeOriginal / OffsetTime).
"""

import io
from datetime import datetime, timedelta, timezone as dt_timezone
from zoneinfo import ZoneInfo

from PIL import Image, ImageOps

THUMBNAIL_SIZE = 320
SHANGHAI = ZoneInfo("Asia/Shanghai")

# EXIF tag numbers (Pillow's ExifTags.Base)
_EXIF_IFD = 0x8769
_DATETIME = 0x0132
_DATETIME_ORIGINAL = 0x9003
_OFFSET_TIME = 0x9010
_OFFSET_TIME_ORIGINAL = 0x9011


def thumbnail_jpeg(content: bytes, size: int = THUMBNAIL_SIZE) -> bytes | None:
    """A JPEG at most `size` px on its longer side, turned upright by its EXIF orientation;
    None when the image cannot be decoded (the file check has already refused those)."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            # Decode a large JPEG at a reduced scale (still ≥ size on each side): a 48-megapixel
            # photo is not unpacked in full just to make a 320 px picture.
            image.draft("RGB", (size, size))
            image = ImageOps.exif_transpose(image)
            image.thumbnail((size, size))
            if image.mode not in ("RGB", "L"):
                background = Image.new("RGB", image.size, (255, 255, 255))
                rgba = image.convert("RGBA")
                background.paste(rgba, mask=rgba.getchannel("A"))
                image = background
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=80)
            return buffer.getvalue()
    except (OSError, ValueError, SyntaxError):
        return None


def capture_time(content: bytes) -> datetime | None:
    """The moment the photo was taken, from EXIF; None when absent or unreadable."""
    try:
        with Image.open(io.BytesIO(content)) as image:
            exif = image.getexif()
    except (OSError, ValueError, SyntaxError):
        return None
    if not exif:
        return None
    try:
        sub = exif.get_ifd(_EXIF_IFD)
    except (KeyError, ValueError, TypeError, OSError):
        sub = {}
    for tag, offset_tag, tags in ((_DATETIME_ORIGINAL, _OFFSET_TIME_ORIGINAL, sub), (_DATETIME, _OFFSET_TIME, exif)):
        value = _parse(tags.get(tag), tags.get(offset_tag) or sub.get(offset_tag))
        if value is not None:
            return value
    return None


def _parse(raw, offset) -> datetime | None:
    if not raw:
        return None
    text = raw.decode("ascii", "ignore") if isinstance(raw, bytes) else str(raw)
    text = text.strip("\x00 ")
    try:
        naive = datetime.strptime(text[:19], "%Y:%m:%d %H:%M:%S")
    except ValueError:
        return None
    zone = _offset(offset) or SHANGHAI
    return naive.replace(tzinfo=zone)


def _offset(raw):
    """"+08:00" → a fixed offset, or None."""
    if not raw:
        return None
    text = str(raw).strip("\x00 ")
    if len(text) != 6 or text[0] not in "+-" or text[3] != ":":
        return None
    try:
        hours, minutes = int(text[1:3]), int(text[4:6])
    except ValueError:
        return None
    delta = timedelta(hours=hours, minutes=minutes)
    return dt_timezone(delta if text[0] == "+" else -delta)

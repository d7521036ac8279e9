"""A candidate's photo: checked to be an image, turned upright, shrunk to fit a bounded box
and re-encoded as a new JPEG, so nothing of the uploaded file survives but its pixels (no
EXIF, GPS position, camera serial number or embedded profile).

Pillow decodes only the formats we accept, and refuses images with more pixels than a
phone's camera makes, which keeps a small file that expands to gigabytes out.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, ImageOps, UnidentifiedImageError

from grassroots.web.errors import DomainError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
BOX = (600, 600)
FORMATS = ("JPEG", "PNG", "WEBP")
FOLDER = "candidates"

NOT_AN_IMAGE = "The photo is not an image we can read: send a JPEG, PNG or WebP file."
TOO_BIG = "The photo is {size:.1f} MB: send one under 8 MB."
TOO_MANY_PIXELS = "The photo is {width} × {height} pixels: send one under 40 megapixels."


def photo_prepare(upload: UploadedFile) -> bytes:
    """The upload as a clean JPEG at most ``BOX`` in size, or ``DomainError`` on the
    ``photo`` field saying what is wrong with it."""
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(TOO_BIG.format(size=upload.size / 1024 / 1024), field="photo")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(upload, formats=FORMATS)
            if opened.width * opened.height > MAX_PIXELS:
                raise DomainError(
                    TOO_MANY_PIXELS.format(width=opened.width, height=opened.height),
                    field="photo",
                )
            opened.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as err:
        raise DomainError(NOT_AN_IMAGE, field="photo") from err
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as err:
        raise DomainError(NOT_AN_IMAGE, field="photo") from err
    # A phone's portrait is stored sideways with an orientation tag: turn the pixels instead.
    image: Image.Image = ImageOps.exif_transpose(opened)
    if image.mode in {"RGBA", "LA", "P"}:
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        image = background
    image = image.convert("RGB")
    image.thumbnail(BOX, Image.Resampling.LANCZOS)
    # A new image holds the pixels and nothing else of the file (no info, no EXIF, no ICC).
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def photo_store(data: bytes) -> str:
    """Save a prepared photo under a random name in the default storage; its name."""
    return default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.jpg", ContentFile(data))


def photo_delete(name: str) -> None:
    if name:
        default_storage.delete(name)

"""Image checks for uploads: Pillow decodes, we keep only a fresh re-encoding."""

import io
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 25_000_000
FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".png", "WEBP": ".webp"}


def reencode_image(file: File) -> ContentFile:
    """Decode and re-encode an image, dropping metadata (EXIF, GPS) and any
    bytes after the image data. Raises ValidationError for anything else."""
    if file.size > MAX_BYTES:
        raise ValidationError(_("Images may be at most 5 MB."), code="too_large")
    try:
        with warnings.catch_warnings():
            # Pillow only warns at its own limit; treat the warning as an error.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            file.seek(0)
            with Image.open(file) as probe:
                fmt = probe.format
                if fmt not in FORMATS:
                    raise ValidationError(_("Upload a JPEG, PNG, GIF or WebP image."), "format")
                if probe.width * probe.height > MAX_PIXELS:
                    raise ValidationError(_("The image has too many pixels."), code="bomb")
                probe.verify()
            file.seek(0)
            with Image.open(file) as opened:
                # The same bytes as the probe, so the same format.
                opened.load()
                image: Image.Image = opened
                if fmt == "JPEG":
                    image = opened.convert("RGB")
                elif opened.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = opened.convert("RGBA")
                out = io.BytesIO()
                target = "PNG" if fmt == "GIF" else fmt
                image.save(out, format=target)  # no exif= argument: metadata is dropped
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as exc:
        raise ValidationError(_("This file is not a valid image."), code="invalid") from exc
    return ContentFile(out.getvalue(), name="upload" + FORMATS[fmt])

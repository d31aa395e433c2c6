"""Checks for files customers and agents attach to tickets.

The declared content type and extension are ignored: the type comes from the
file's first bytes. Images are decoded and re-encoded, which drops EXIF (GPS
positions) and anything appended to the image (polyglots). PDFs are only
accepted with a PDF header and without active content.
"""

import io
import os
import re
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

MAX_FILE_SIZE = 5 * 1024 * 1024
MAX_FILES_PER_MESSAGE = 5
MAX_PIXELS = 25_000_000  # about 5000 by 5000: larger is a screenshot nobody needs
ALLOWED_EXTENSIONS = {"png": "png", "jpg": "jpeg", "jpeg": "jpeg", "webp": "webp", "pdf": "pdf"}
CONTENT_TYPES = {
    "png": "image/png",
    "jpeg": "image/jpeg",
    "webp": "image/webp",
    "pdf": "application/pdf",
}
STORED_EXTENSION = {"png": "png", "jpeg": "jpg", "webp": "webp", "pdf": "pdf"}
PIL_FORMAT = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
# Active content a support agent's PDF viewer should never be handed.
PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|OpenAction|AA|RichMedia)\b")


@dataclass(frozen=True)
class CleanFile:
    name: str
    extension: str
    content_type: str
    content: bytes


def sniff(head: bytes) -> str | None:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def safe_name(name: str) -> str:
    """The bare file name, without any path, control characters or odd symbols."""
    name = os.path.basename(name.replace("\\", "/")).strip()
    name = re.sub(r"[^\w.\- ]", "_", name)[-100:].lstrip(".")
    return name or "file"


def _reencode(data: bytes, kind: str) -> bytes:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Typed as Image: the conversions below replace the ImageFile open() returns.
            image: Image.Image = Image.open(io.BytesIO(data))
            # Opening reads only the header: refuse bombs before decoding pixels.
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(_("The image is too large."), code="pixels")
            if (image.format or "").upper() != PIL_FORMAT[kind]:
                raise ValidationError(_("The image is damaged."), code="damaged")
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(_("The image is too large."), code="pixels") from exc
    except Exception as exc:  # Pillow raises many types for corrupt input
        raise ValidationError(_("The image is damaged."), code="damaged") from exc
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    if kind == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # A new image from raw pixels carries no metadata of the original.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    clean.save(out, format=PIL_FORMAT[kind], **({"quality": 90} if kind != "png" else {}))
    return out.getvalue()


def attachment_clean(upload: UploadedFile) -> CleanFile:
    """Validate one upload and return its cleaned content."""
    if upload.size is None or upload.size > MAX_FILE_SIZE:
        raise ValidationError(
            _("Files may be at most %(mb)d MB.") % {"mb": MAX_FILE_SIZE // (1024 * 1024)},
            code="size",
        )
    name = safe_name(upload.name or "")
    declared = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if declared not in ALLOWED_EXTENSIONS:
        raise ValidationError(_("Only PNG, JPG, WebP and PDF files are accepted."), code="type")
    upload.seek(0)
    data = upload.read(MAX_FILE_SIZE + 1)
    if len(data) > MAX_FILE_SIZE:
        raise ValidationError(_("The file is too large."), code="size")
    kind = sniff(data[:16])
    if kind is None:
        raise ValidationError(_("Only PNG, JPG, WebP and PDF files are accepted."), code="type")
    if ALLOWED_EXTENSIONS[declared] != kind:
        raise ValidationError(
            _("The file's content does not match its extension."), code="extension"
        )
    if kind == "pdf":
        if b"%%EOF" not in data[-1024:] or PDF_ACTIVE.search(data):
            raise ValidationError(_("This PDF cannot be accepted."), code="pdf")
        content = data
    else:
        content = _reencode(data, kind)
    stem = name.rsplit(".", 1)[0]
    return CleanFile(
        name=f"{stem}.{STORED_EXTENSION[kind]}",
        extension=STORED_EXTENSION[kind],
        content_type=CONTENT_TYPES[kind],
        content=content,
    )


def attachments_clean(uploads: list[UploadedFile]) -> list[CleanFile]:
    if len(uploads) > MAX_FILES_PER_MESSAGE:
        raise ValidationError(
            _("Attach at most %(count)d files.") % {"count": MAX_FILES_PER_MESSAGE}, code="count"
        )
    return [attachment_clean(upload) for upload in uploads]

import io
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.tickets.factories import jpeg_with_exif, png_bytes, upload
from tickets.uploads import MAX_FILES_PER_MESSAGE, attachment_clean, attachments_clean, safe_name


def test_png_is_reencoded():
    clean = attachment_clean(upload())
    assert clean.content_type == "image/png" and clean.extension == "png"
    assert Image.open(io.BytesIO(clean.content)).size == (8, 8)


def test_jpeg_exif_is_stripped():
    original = jpeg_with_exif()
    assert b"SecretCameraMaker" in original
    clean = attachment_clean(upload("photo.jpg", original, "image/jpeg"))
    assert b"SecretCameraMaker" not in clean.content
    assert not Image.open(io.BytesIO(clean.content)).getexif()


def test_polyglot_png_with_trailing_html_is_neutralised():
    payload = b"<html><script>alert(1)</script></html>"
    clean = attachment_clean(upload("x.png", png_bytes() + payload))
    assert payload not in clean.content


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("evil.exe", png_bytes()),
        ("page.html", b"<html></html>"),
        ("fake.png", b"<html><script>alert(1)</script></html>"),
        ("doc.pdf", png_bytes()),
        ("image.png", b"%PDF-1.4\n%%EOF"),
        ("noext", png_bytes()),
    ],
)
def test_wrong_type_or_extension_rejected(name, content):
    with pytest.raises(ValidationError):
        attachment_clean(SimpleUploadedFile(name, content, "image/png"))


def _bomb_png(width: int, height: int) -> bytes:
    """A tiny PNG header that claims a huge canvas."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


def test_pixel_bomb_rejected_before_decoding():
    with pytest.raises(ValidationError) as exc:
        attachment_clean(upload("bomb.png", _bomb_png(60000, 60000)))
    assert exc.value.code == "pixels"


def test_truncated_image_rejected():
    with pytest.raises(ValidationError):
        attachment_clean(upload("broken.png", png_bytes()[:30]))


def test_pdf_needs_header_and_no_javascript():
    ok = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    assert attachment_clean(SimpleUploadedFile("a.pdf", ok)).content_type == "application/pdf"
    evil = b"%PDF-1.4\n1 0 obj<</OpenAction<</S/JavaScript/JS(app.alert(1))>>>>endobj\n%%EOF\n"
    with pytest.raises(ValidationError):
        attachment_clean(SimpleUploadedFile("b.pdf", evil))


def test_size_and_count_limits(settings):
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024 + 10))
    with pytest.raises(ValidationError):
        attachment_clean(big)
    with pytest.raises(ValidationError):
        attachments_clean([upload() for _ in range(MAX_FILES_PER_MESSAGE + 1)])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("../../etc/passwd.png", "passwd.png"),
        ("C:\\Users\\x\\shot.png", "shot.png"),
        ("/var/www/../x.png", "x.png"),
        ("a<b>.png", "a_b_.png"),
    ],
)
def test_path_in_file_name_is_stripped(raw, expected):
    assert safe_name(raw) == expected
    assert "/" not in attachment_clean(upload(raw)).name

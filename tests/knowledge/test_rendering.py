import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from knowledge.images import reencode_image
from knowledge.rendering import GlossaryLink, render_markdown, sanitize


@pytest.mark.parametrize(
    "markdown",
    [
        "[click](javascript:alert(1))",
        "[click](java\nscript:alert(1))",
        "[click](&#106;avascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[click](data:text/html;base64,PHNjcmlwdD4=)",
        "<script>alert(1)</script>",
        "<iframe src='https://evil.example'></iframe>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)" onclick="alert(1)">x</a>',
        "![x](javascript:alert(1))",
    ],
)
def test_markdown_payloads_are_neutralised(markdown):
    html = render_markdown(markdown).html.lower()
    # What cannot be made safe stays visible as escaped text, never as markup.
    for tag in re.findall(r"<[a-z][^>]*>", html):
        for url in re.findall(r'(?:href|src)="([^"]*)"', tag):
            assert url.startswith(("https:", "http:", "/", "mailto:")), url
    assert "<script" not in html
    assert "<iframe" not in html
    assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", html)


@pytest.mark.parametrize(
    "raw",
    [
        '<a href="java&#x0A;script:alert(1)">a</a>',
        '<a href="&#106;avascript:alert(1)">a</a>',
        '<a href="java\nscript:alert(1)">a</a>',
        "<img src=x onerror=alert(1)>",
        '<img src="data:image/png;base64,AAAA">',
        "<script>alert(1)</script>",
        "<iframe src=//evil.example></iframe>",
        "<style>body{}</style>",
        '<p onmouseover="alert(1)">hi</p>',
    ],
)
def test_sanitizer_strips_dangerous_html(raw):
    html = sanitize(raw).lower()
    for bad in ("script", "iframe", "style", "onerror", "onmouseover", "data:", "href", "src="):
        assert bad not in html


def test_safe_markup_survives():
    html = sanitize(
        '<p><a href="https://example.com/x">ok</a> <img src="/media/k/a.png" alt="a"></p>'
    )
    assert 'href="https://example.com/x"' in html
    assert 'src="/media/k/a.png"' in html


def test_headings_get_ids_and_toc():
    rendered = render_markdown("## Check the TXID\n\ntext\n\n### 确认数\n\n## Check the TXID")
    assert [h["id"] for h in rendered.toc] == ["h-check-the-txid", "h-确认数", "h-check-the-txid-2"]
    assert '<h2 id="h-check-the-txid">' in rendered.html


def test_glossary_terms_link_once_with_tooltip():
    links = [
        GlossaryLink(1, "memo", ("tag",), "A note the exchange needs.", "/help/glossary/memo/"),
        GlossaryLink(2, "充币", (), "把币转入交易所", "/help/glossary/deposit/"),
    ]
    html = render_markdown(
        "Add the memo. The memo again. A memorable tag.\n\n请确认充币地址。", glossary=links
    ).html
    assert html.count('class="glossary-term"') == 2
    assert 'aria-describedby="glossary-tip-1"' in html
    assert 'role="tooltip" id="glossary-tip-1"' in html
    assert "memorable" in html  # whole words only
    assert 'href="/help/glossary/deposit/"' in html


def _png(**kwargs) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG", **kwargs)
    return buffer.getvalue()


def test_image_is_reencoded_without_metadata():
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x010E] = "secret GPS"
    Image.new("RGB", (4, 4), "red").save(buffer, format="JPEG", exif=exif)
    out = reencode_image(SimpleUploadedFile("me.jpg", buffer.getvalue()))
    assert b"secret GPS" not in out.read()
    assert out.name.endswith(".jpg")


@pytest.mark.parametrize(
    "content", [b"<?php echo 1; ?>", b"GIF89a" + b"\x00" * 10, b"\x89PNG\r\n\x1a\n garbage"]
)
def test_non_images_are_rejected(content):
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("x.png", content))


def test_decompression_bomb_is_rejected():
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, format="PNG")
    with pytest.raises(ValidationError):
        reencode_image(SimpleUploadedFile("bomb.png", buffer.getvalue()))

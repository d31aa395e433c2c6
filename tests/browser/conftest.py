"""Headless Chromium through pytest-playwright, against Django's live server.

Uses Debian's /usr/bin/chromium; Playwright's own browser downloads are never
used. Without Chromium these tests skip with the reason.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

pytestmark = pytest.mark.browser


def pytest_collection_modifyitems(config, items):
    have_chromium = os.path.exists(CHROMIUM) or shutil.which("chromium")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "tests/browser" not in str(item.fspath):
            continue
        # The live server needs committed data; tests/conftest.py puts back
        # what the flush after each such test removes (the staff groups).
        item.add_marker(pytest.mark.django_db(transaction=True), append=False)
        if not have_chromium:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "en-US", "viewport": {"width": 1280, "height": 900}}

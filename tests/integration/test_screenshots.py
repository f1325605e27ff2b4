"""`make screenshots`: the script starts the demo as `make run` does, and saves the README's
eight PNGs at their widths; the member's home is taken signed in, or the script fails."""

import os
import subprocess
import sys

import pytest
from PIL import Image

from tests.browser.conftest import CHROMIUM
from tests.conftest import ROOT, service_unavailable, venv_env

pytestmark = pytest.mark.browser

PAGES = ["home", "demand", "events", "account"]
WIDTHS = {"desktop": 1280, "phone": 390}


def screenshots(*args):
    if not os.access(CHROMIUM, os.X_OK):
        service_unavailable(f"Chromium not found at {CHROMIUM}: run `make system-deps`")
    return subprocess.run(
        [sys.executable, "scripts/screenshots.py", *map(str, args)],
        cwd=ROOT, env=venv_env(DJANGO_SETTINGS_MODULE="config.settings.dev"),
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    """The demo's SQLite file, made by the first run and reused by the next."""
    return tmp_path_factory.mktemp("screenshots-demo")


def test_the_script_saves_a_desktop_and_a_phone_png_of_each_page(workdir, tmp_path):
    done = screenshots("--out", tmp_path, "--workdir", workdir)
    assert done.returncode == 0, done.stdout + done.stderr

    expected = {f"{page}-{size}.png" for page in PAGES for size in WIDTHS}
    assert {path.name for path in tmp_path.iterdir()} == expected
    for name in expected:
        with Image.open(tmp_path / name) as image:
            assert image.format == "PNG"
            width, height = image.size
        assert width == WIDTHS[name.removesuffix(".png").split("-")[1]], name
        assert 800 <= height <= 1900, (name, height)
        assert (tmp_path / name).stat().st_size < 300 * 1024, name


def test_the_script_fails_and_saves_nothing_when_it_cannot_sign_in_as_the_member(workdir, tmp_path):
    done = screenshots("--out", tmp_path, "--workdir", workdir, "--member", "nobody@example.org")
    assert done.returncode != 0
    assert "Could not sign in as nobody@example.org" in done.stderr
    assert "/accounts/login/" in done.stderr
    assert not list(tmp_path.iterdir())

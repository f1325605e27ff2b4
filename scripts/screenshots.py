"""Screenshots of the demo site for the README (`make screenshots`).

Starts the demo as `make run` does (`manage.py serve_demo`, on a scratch SQLite file and the
embedded defaults), signs in as the demo member whose home has a follow, an RSVP and a signature,
and saves desktop (1280 px) and phone (390 px) PNGs of the home page, the featured demand, the
event finder and the member's home into docs/screenshots/. It stops with an error, having saved
nothing, if it cannot sign in.

    .venv/bin/python scripts/screenshots.py [--out DIR] [--workdir DIR] [--member EMAIL]
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import django
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# The demo member and the demo password are the seeders' and the settings' own, which need
# Django's app registry before they can be imported.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
django.setup()

from django.conf import settings  # noqa: E402

from digests.demo import DEMO_MEMBER_HOME  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.conftest import free_port  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
# Viewport, and how much of the page a shot keeps: the desktop's first screen and most of the
# next; on a phone, the page down to about two and a quarter screens.
SIZES = {
    "desktop": ({"width": 1280, "height": 800}, 1400),
    "phone": ({"width": 390, "height": 844}, 1900),
}
SETTLE = 300  # seconds for migrations and the demo content on a slow machine


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"where the PNGs go ({OUT})")
    parser.add_argument(
        "--workdir",
        type=Path,
        help="keep the demo's SQLite file, media and logs here, and reuse them next time "
        "(default: a temporary directory, removed at the end)",
    )
    parser.add_argument("--member", default=DEMO_MEMBER_HOME, help="the demo member to sign in as")
    args = parser.parse_args()
    with workdir(args.workdir) as work, demo_site(work) as base:
        saved = shoot_all(base=base, out=args.out, member=args.member)
    for path in saved:
        print(f"{path} ({path.stat().st_size // 1024} KB)")


@contextmanager
def workdir(path: Path | None):
    if path is not None:
        path.mkdir(parents=True, exist_ok=True)
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="fa-screenshots-") as temporary:
        yield Path(temporary)


@contextmanager
def demo_site(work: Path):
    """`make run`'s demo on a free port of loopback; stopped when the block ends."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{work / 'demo.sqlite3'}",
        # The embedded defaults, whatever this shell points at: a cache or page cache shared
        # with another site would show its pages.
        "REDIS_URL": "",
        "REDIS_CACHE_URL": "",
        "EMAIL_URL": "consolemail://",
        "DEBUG": "false",
        "BASE_URL": base,
        "MEDIA_ROOT": str(work / "media"),
    }
    console = work / "console.log"
    with console.open("w") as output:
        # --noreload: the autoreloader's child process would outlive terminate().
        server = subprocess.Popen(  # noqa: S603 -- our own interpreter and manage.py
            [sys.executable, "manage.py", "serve_demo", f"127.0.0.1:{port}", "--noreload",
             "--log", str(work / "demo.log")],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until_answers(base, server, console)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_answers(base: str, server: subprocess.Popen, console: Path) -> None:
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The demo site stopped:\n{console.read_text()}")
        try:
            with urllib.request.urlopen(f"{base}/healthz/", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    sys.exit(f"The demo site did not answer within {SETTLE} s:\n{console.read_text()}")


def shoot_all(*, base: str, out: Path, member: str) -> list[Path]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # The visitor's shots are anonymous, as most people see the site; the member's home is
        # taken in a context of its own, signed in before any shot, so that a member who cannot
        # sign in leaves no half-made set behind.
        visitors = {size: new_context(browser, size) for size in SIZES}
        members = {size: signed_in(new_context(browser, size), base, member) for size in SIZES}
        demand = featured_demand(visitors["desktop"], base)
        out.mkdir(parents=True, exist_ok=True)
        saved = []
        for size in SIZES:
            visitor = visitors[size].new_page()
            for name, path in (("home", "/"), ("demand", demand), ("events", "/events/")):
                saved.append(shoot(visitor, f"{base}{path}", out / f"{name}-{size}.png", size))
            saved.append(
                shoot(members[size], f"{base}/account/", out / f"account-{size}.png", size)
            )
        browser.close()
    return saved


def new_context(browser, size: str):
    viewport, _height = SIZES[size]
    phone = size == "phone"
    return browser.new_context(
        viewport=viewport,
        device_scale_factor=1,
        is_mobile=phone,
        has_touch=phone,
        reduced_motion="reduce",
        color_scheme="light",
    )


def signed_in(context, base: str, email: str):
    """A page of `context` signed in as `email` at the allauth form; exits if that fails."""
    page = context.new_page()
    page.goto(f"{base}/accounts/login/?next=/account/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(settings.DEMO_ADMIN_PASSWORD)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(f"{base}/account/")
    heading = page.get_by_role("heading", level=1).first.inner_text()
    if not page.url.endswith("/account/") or heading != "Your account":
        sys.exit(
            f"Could not sign in as {email}: /account/ led to {page.url} ({heading!r}). "
            "Is the member in the demo seeders (digests/demo.py)?"
        )
    return page


def featured_demand(context, base: str) -> str:
    """The path of the demand the home page features, as a visitor would follow it."""
    page = context.new_page()
    page.goto(f"{base}/")
    link = page.locator(".home-demand").get_by_role("heading").get_by_role("link")
    if link.count() != 1:
        sys.exit("The home page features no demand: see campaigns/demo.py.")
    path = link.get_attribute("href")
    page.close()
    return path


def shoot(page, url: str, path: Path, size: str) -> Path:
    viewport, height = SIZES[size]
    page.goto(url)
    width = viewport["width"]
    # A viewport as tall as the shot, not a full-page capture: that one draws sticky buttons
    # where the first screen's bottom was, over whatever is there further down the picture.
    full = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": width, "height": min(full, height)})
    save_small(page.screenshot(animations="disabled", caret="hide"), path)
    page.set_viewport_size(viewport)
    return path


def save_small(png: bytes, path: Path) -> None:
    """A 256-colour PNG: about a quarter of the bytes, and text stays sharp without dithering."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(colors=256, dither=Image.Dither.NONE).save(path, optimize=True)


if __name__ == "__main__":
    main()

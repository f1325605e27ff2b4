"""Browser journeys: Playwright drives Debian's Chromium against pytest-django's live server.

`playwright install` cannot download browsers here, so the system Chromium is launched instead.
"""

import os
import shutil

import pytest

from tests.conftest import ROOT, service_unavailable

# pytest-playwright's sync API keeps an event loop running in the test's thread, and Django
# refuses ORM calls from a thread with a running loop unless told that this is deliberate.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# Impacts that fail a page; "moderate" and "minor" findings are left to review.
FAILING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.access(CHROMIUM, os.X_OK):
        service_unavailable(f"Chromium not found at {CHROMIUM}: run `make system-deps`")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def page(page):
    # Failures show up as timeouts, so keep them short enough to read the real error quickly.
    page.set_default_timeout(15_000)
    return page


def axe_violations(page) -> list[dict]:
    """The serious and critical axe-core violations on the page as it is now."""
    if not AXE.exists():
        service_unavailable(f"axe-core is missing at {AXE}: run `make node-deps`")
    # Evaluated through the DevTools protocol, which the site's CSP does not govern; a <script>
    # tag added to the page would (rightly) be refused as inline script.
    page.evaluate(AXE.read_text())
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            lines.append(f"    at {' '.join(node['target'])}: {node['html'][:200]}")
            if node.get("failureSummary"):
                lines.append("      " + node["failureSummary"].replace("\n", "\n      "))
    return "\n".join(lines)


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"

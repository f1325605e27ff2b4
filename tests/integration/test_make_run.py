"""`make run`'s demo as a newcomer meets it: SQLite, dev settings, the demo content, runserver.

One server for the module: a quiet console that ends with the address and the admin login, the
site's own 404 page, and a crowd signing one demand at once on the embedded SQLite database."""

import http.cookiejar
import json
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import ROOT, free_port, venv_env

SIGNERS = 20
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(url, opener=None):
    opener = opener or urllib.request.build_opener()
    try:
        with opener.open(url, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


# Its tests share one demo server, started once, on one pytest-xdist worker.
pytestmark = pytest.mark.xdist_group("make-run")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`manage.py serve_demo` as `make run` starts it, on a SQLite file of its own."""
    tmp = tmp_path_factory.mktemp("demo")
    port = free_port()
    env = venv_env(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp / 'demo.sqlite3'}",
        REDIS_URL="",
        EMAIL_URL="consolemail://",
        DEBUG="false",
        BASE_URL=f"http://127.0.0.1:{port}",
        MEDIA_ROOT=str(tmp / "media"),
        # Behind one (pretend) proxy, so that each signer below comes from an address of their
        # own, as a crowd would, rather than all from loopback into one rate limit.
        NUM_PROXIES="1",
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "serve_demo", "--noreload", f"127.0.0.1:{port}",
         "--log", str(tmp / "demo.log")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines = []
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                pytest.fail("serve_demo stopped:\n" + "".join(lines))
            lines.append(line.rstrip("\n"))
            if line.startswith("Admin:"):
                break
        # The demo prints the emails it sends: keep reading, or a full pipe stalls the server.
        threading.Thread(target=server.stdout.read, daemon=True).start()
        yield {"base": f"http://127.0.0.1:{port}", "lines": lines, "log": tmp / "demo.log"}
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_console_shows_a_line_per_step_and_ends_with_the_address_and_login(demo):
    lines = demo["lines"]
    assert lines[:3] == [
        "Preparing the database ... done",
        "Adding the demo content ... done",
        lines[2],
    ]
    assert re.fullmatch(r"  [\d,]+ networks, [\d,]+ events, [\d,]+ demands, .*", lines[2])
    assert lines[-2] == f"The demo site is at {demo['base']}/ (Ctrl-C stops it)"
    assert lines[-1].startswith(f"Admin: {demo['base']}/admin/ - sign in as ")
    assert "free-association-demo" in lines[-1]
    assert len(lines) == 5, lines
    # Migrations, the seeders' log lines and the demo's own emails went to the log instead.
    log = demo["log"].read_text()
    assert "Applying wagtailcore" in log
    assert "Subject:" in log
    assert "No hostname was supplied" not in log


def test_an_unknown_address_gets_the_sites_own_404_page(demo):
    status, body = get(demo["base"] + "/no-such-page/")
    assert status == 404
    assert "<title>Page not found" in body
    assert "DEBUG = True" not in body
    assert get(demo["base"] + "/")[0] == 200


def test_twenty_people_signing_one_demand_at_once_are_all_stored(demo):
    _status, body = get(demo["base"] + "/api/v2/demands/?status=open&limit=1")
    demand = json.loads(body)["items"][0]
    demand_url = demand["meta"]["html_url"]
    assert demand_url.startswith(demo["base"] + "/")
    barrier = threading.Barrier(SIGNERS)
    statuses = []

    def sign(index):
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        _status, page = get(demand_url, opener)
        form = {
            "csrfmiddlewaretoken": CSRF_INPUT.search(page).group(1),
            "name": f"Crowd signer {index}",
            "email": f"crowd.signer{index}@gmail.com",
            "kind": "worker",
        }
        request = urllib.request.Request(
            demand_url,
            data=urllib.parse.urlencode(form).encode(),
            headers={"X-Forwarded-For": f"198.51.100.{index + 1}"},
        )
        barrier.wait()
        try:
            with opener.open(request, timeout=60) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=sign, args=(n,)) for n in range(SIGNERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [200] * SIGNERS
    stored = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c",
         "from campaigns.models import Signature; "
         "print(Signature.objects.filter(name__startswith='Crowd signer').count())"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=venv_env(DJANGO_SETTINGS_MODULE="config.settings.dev",
                     DATABASE_URL=f"sqlite:///{demo['log'].parent / 'demo.sqlite3'}",
                     REDIS_URL=""),
    )  # fmt: skip
    assert stored.stdout.strip() == str(SIGNERS), stored.stderr

"""Security headers and the Content-Security-Policy: strict on the public site, looser but
same-origin only in Wagtail's admin, and no template that would need the public policy relaxed."""

import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import override_settings
from wagtail.models import Page

from hub.factories import UserFactory
from tests.conftest import ROOT, venv_env

PUBLIC_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}
# Script types a browser does not run, so CSP has nothing to say about them.
DATA_BLOCK_TYPES = {"application/ld+json", "application/json"}


def parse_csp(header: str) -> dict[str, set[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


class InlineCodeFinder(HTMLParser):
    """Collects what a `script-src 'self'; style-src 'self'` policy would block."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"<{tag} {name}=…>")
        script_type = (attrs.get("type") or "").lower()
        if tag == "script" and "src" not in attrs and script_type not in DATA_BLOCK_TYPES:
            self.problems.append("inline <script>")
        if tag == "style":
            self.problems.append("<style> element")
        if any(str(value or "").lower().startswith("javascript:") for value in attrs.values()):
            self.problems.append(f"<{tag}> with a javascript: URL")


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    return finder.problems


def test_the_finder_spots_what_the_policy_would_block():
    # The template and page checks below are only as good as this parser.
    assert inline_code("<script>alert(1)</script>") == ["inline <script>"]
    assert inline_code('<a href="#" onclick="go()">x</a>') == ["<a onclick=…>"]
    assert inline_code('<div style="width: 5%"></div>') == ["<div style=…>"]
    assert inline_code("<style>p{}</style>") == ["<style> element"]
    assert inline_code('<a href="javascript:go()">x</a>') == ["<a> with a javascript: URL"]
    assert inline_code('<script src="/static/a.js"></script>') == []
    assert inline_code('<script type="application/ld+json">{}</script>') == []


def public_template_files():
    return sorted(
        path
        for path in (ROOT / "templates").rglob("*.html")
        # Admin screens extend Wagtail's own templates and run under the admin policy; emails are
        # read in mail clients, which need inline styles and never see the site's CSP.
        if not {"admin", "email", "emails"} & set(path.relative_to(ROOT / "templates").parts)
    )


@pytest.mark.parametrize("path", public_template_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_public_template_has_inline_script_style_or_handlers(path: Path):
    source = path.read_text()
    # Template tags inside attributes would confuse an HTML parser; blank them first.
    html = re.sub(r"{%.*?%}|{{.*?}}", "x", source, flags=re.DOTALL)
    assert inline_code(html) == []


def test_every_template_directory_is_scanned():
    scanned = public_template_files()
    assert len(scanned) >= 40
    assert ROOT / "templates" / "base.html" in scanned
    assert ROOT / "templates" / "campaigns" / "demand_page.html" in scanned


@pytest.mark.parametrize(("value", "enforced"), [("", True), ("true", False)])
def test_report_only_switch_comes_from_the_environment(value, enforced):
    env = venv_env(DJANGO_SETTINGS_MODULE="config.settings.test", CSP_REPORT_ONLY=value)
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings as s;"
         "print(bool(s.CONTENT_SECURITY_POLICY), bool(s.CONTENT_SECURITY_POLICY_REPORT_ONLY))"],
        cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [str(enforced), str(not enforced)]


class TestDemoSite:
    """On the demo site, seeded once for the class."""

    @pytest.mark.django_db
    def test_public_pages_send_the_strict_policy_and_security_headers(
        self, client, demo_site_shared
    ):
        pages = list(Page.objects.live().filter(depth__gt=1).specific())
        urls = [page.url for page in pages] + ["/search/?query=iapt", "/networks/positions/"]
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            policy = parse_csp(response["Content-Security-Policy"])
            for directive, sources in PUBLIC_CSP.items():
                assert policy[directive] == sources, (url, directive)
            assert "'unsafe-inline'" not in response["Content-Security-Policy"]
            assert response["X-Frame-Options"] == "DENY"
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Referrer-Policy"] == "same-origin"
            assert response["Cross-Origin-Opener-Policy"] == "same-origin"
            assert "camera=()" in response["Permissions-Policy"]
            assert "geolocation=()" in response["Permissions-Policy"]

    @pytest.mark.django_db
    def test_rendered_public_pages_carry_no_inline_code(self, client, demo_site_shared):
        # Rendered, not just the templates: blocks, template tags and the userbar add markup too.
        admin = UserFactory(is_superuser=True, is_staff=True)
        client.force_login(admin)
        pages = list(Page.objects.live().filter(depth__gt=1).specific())
        assert len(pages) >= 10
        for page in pages:
            response = client.get(page.url)
            html = response.content.decode()
            assert "wagtail-userbar" in html, "the userbar is on the page and must obey the policy"
            # The userbar's own markup sits in a <template>; its scripts are static files.
            assert inline_code(html) == [], page.url
            for src in re.findall(r'<script[^>]*\ssrc="([^"]+)"', html):
                url = urlsplit(src)
                assert url.netloc in {"", "testserver"}, src
                assert url.path.startswith(settings.STATIC_URL), src

    @pytest.mark.django_db
    def test_demand_page_draws_its_bars_without_inline_styles(self, client, demo_site_shared):
        from campaigns.models import DemandPage

        demand = DemandPage.objects.live().first()
        html = client.get(demand.url).content.decode()
        assert 'style="' not in html
        assert '<progress class="progress"' in html or "Every milestone reached" in html

    @pytest.mark.django_db
    def test_admin_works_under_its_own_same_origin_policy(self, client, demo_site_shared):
        admin = UserFactory(is_superuser=True, is_staff=True)
        client.force_login(admin)
        home = Page.objects.get(depth=2)
        for url in ["/admin/", "/admin/pages/", f"/admin/pages/{home.pk}/edit/", "/admin/users/"]:
            response = client.get(url)
            assert response.status_code == 200, url
            header = response["Content-Security-Policy"]
            policy = parse_csp(header)
            assert policy["default-src"] == {"'self'"}
            assert policy["object-src"] == {"'none'"}
            assert policy["frame-ancestors"] == {"'self'"}, "page previews are same-origin iframes"
            # Nothing may come from another origin, even in the admin.
            assert not re.search(r"https?:|\*", header), header
        assert "frame-ancestors 'none'" in client.get("/")["Content-Security-Policy"]

    @pytest.mark.django_db
    @override_settings(
        CONTENT_SECURITY_POLICY=None,
        CONTENT_SECURITY_POLICY_REPORT_ONLY=settings.CONTENT_SECURITY_POLICY,
    )
    def test_report_only_mode_reports_the_same_policies_without_enforcing(
        self, client, demo_site_shared
    ):
        admin = UserFactory(is_superuser=True, is_staff=True)
        public = client.get("/")
        assert "Content-Security-Policy" not in public
        assert "frame-ancestors 'none'" in public["Content-Security-Policy-Report-Only"]
        client.force_login(admin)
        admin_page = client.get("/admin/")
        assert "Content-Security-Policy" not in admin_page
        assert "frame-ancestors 'self'" in admin_page["Content-Security-Policy-Report-Only"]

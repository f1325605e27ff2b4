"""No signer's email is shown anywhere public: crawl every page, feed and endpoint."""

import io
import re
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command

from campaigns import selectors
from campaigns.models import DemandPage, Signature

from .conftest import live_networks, sign_data

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
HREF = re.compile(r'href="([^"#]+)')
MAX_PAGES = 2000


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_crawl_of_the_public_site_finds_no_signer_email(
    client, django_capture_on_commit_callbacks
):
    live_networks(4)
    call_command("seed_demo", stdout=io.StringIO())
    demand = DemandPage.objects.live().first()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(demand.url, sign_data(email="pending.signer@gmail.com", show_name="on"))
    signer_emails = {email.lower() for email in Signature.objects.values_list("email", flat=True)}
    signer_emails |= set(Signature.objects.values_list("email_canonical", flat=True))
    assert len(signer_emails) > 1000

    start = ["/", "/demands/", "/sitemap.xml", "/search/?query=signer"]
    for page in DemandPage.objects.live():
        start += [page.url, f"{page.url}names/", f"{page.url}counts/"]
    skip = ["/static/", "/media/", "/documents/", "/admin/", "/accounts/"]
    queue, seen, leaks = list(start), set(start), []
    while queue:
        url = queue.pop()
        response = client.get(url)
        if response.status_code == 302:
            assert response.url.startswith("/accounts/login/"), url
            continue
        assert response.status_code in (200, 404), url
        if response.get("Content-Type", "").startswith("image/png"):
            continue  # a chart drawn from published counts: pixels, no text to leak
        body = response.content.decode()
        leaks += [(url, email) for email in EMAIL.findall(body) if email.lower() in signer_emails]
        if "html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(body):
            target = urljoin(url, href.replace("&amp;", "&"))
            parts = urlsplit(target)
            if (
                parts.scheme not in ("", "http")
                or parts.netloc
                or target in seen
                or parts.path.startswith(tuple(skip))
            ):
                continue
            seen.add(target)
            queue.append(target)
        assert len(seen) < MAX_PAGES, "the crawl ran away"

    assert leaks == []
    names_pages = [url for url in seen if "/names/?page=" in url]
    assert names_pages, "the crawl reached the paginated names"
    assert sum(selectors.demand_count(demand=d) for d in DemandPage.objects.all()) > 1000

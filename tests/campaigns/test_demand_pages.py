"""A demand page leads with the ask and the form; confirming leads on to sharing and to the
platform's other demands; every demand card carries its count."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.factories import DemandPageFactory, PlatformPageFactory, SignatureFactory
from hub.factories import ContentPageFactory, TopicFactory
from hub.models import HomePage

from .conftest import confirm_data, sign_data

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>")


def confirm_through_email(client, demand, captured, **overrides):
    with captured(execute=True):
        client.post(demand.url, sign_data(**overrides))
    link = re.search(r"/signatures/confirm/[^/\s]+/", mail.outbox[-1].body).group(0)
    return link, client.post(link, confirm_data())


def test_the_form_comes_before_the_case_and_asks_i_am_with_nothing_chosen(client):
    demand = DemandPageFactory(
        case=[("paragraph", "<p>The programme has never been independently evaluated.</p>")]
    )
    html = client.get(demand.url).content.decode()
    assert html.index("demand-count__number") < html.index('class="sign-form"')
    assert html.index('class="sign-form"') < html.index("never been independently evaluated")
    assert 'href="#sign"' in html, "a button jumps to the form, and sticks on small screens"
    kind = re.search(r'<select name="kind".*?</select>', html, re.S).group(0)
    assert '<option value="" selected>Choose one</option>' in kind
    assert kind.count("selected") == 1


def test_an_empty_i_am_is_refused_so_breakdowns_count_only_choices(client, demand):
    response = client.post(demand.url, sign_data(kind=""))
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_the_forms_link_to_the_privacy_page_when_there_is_one(client):
    demand = DemandPageFactory()
    assert "What we keep about you" not in client.get(demand.url).content.decode()
    privacy = ContentPageFactory(parent=HomePage.objects.get(), title="Privacy", slug="privacy")
    html = client.get(demand.url).content.decode()
    assert f'<a href="{privacy.url}">What we keep about you, and what we never show</a>' in html


def test_a_closed_demand_offers_no_sign_button(client):
    demand = DemandPageFactory(status="closed")
    html = client.get(demand.url).content.decode()
    assert 'href="#sign"' not in html and "no longer taking signatures" in html


def test_after_confirming_the_count_share_links_and_the_platforms_unsigned_demands(
    client, django_capture_on_commit_callbacks
):
    platform = PlatformPageFactory()
    signed, pending, unsigned = (
        DemandPageFactory(parent=platform, title=title)
        for title in ["End waiting lists", "Fund peer support", "Publish outcomes"]
    )
    SignatureFactory.create_batch(4, demand=unsigned)
    SignatureFactory(demand=pending, email="ada@gmail.com", confirmed_at=None)
    SignatureFactory(demand=signed, email="ada@example.org")

    _link, response = confirm_through_email(client, signed, django_capture_on_commit_callbacks)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Thank you: your signature is confirmed" in html
    assert re.search(r'demand-count__number">2<', html)

    url = signed.get_full_url()
    mailto = urlsplit(unescape(re.search(r'href="(mailto:[^"]+)"', html).group(1)))
    assert parse_qs(mailto.query) == {
        "subject": [signed.title],
        "body": [f"I have signed “{signed.title}”. Will you sign it too? {url}"],
    }
    for service in ["https://wa.me/?text=", "https://s2f.kytta.dev/?text=",
                    "https://bsky.app/intent/compose?text="]:  # fmt: skip
        assert f'href="{service}' in html, service
    assert f'href="{url}" data-copy-link>Copy link</a>' in html
    assert not INLINE_SCRIPT.search(html), "the site's CSP refuses inline script"
    assert '<script src="/static/js/copy-link.js" defer>' in html

    others = html.split('id="unsigned-heading"')[1]
    assert "Publish outcomes" in others and "4</strong> signed" in others
    assert "Fund peer support" not in others, "signed, if not confirmed yet"
    assert "End waiting lists" not in others


def test_the_page_after_confirming_reads_the_same_number_of_queries_for_more_demands(
    client, django_capture_on_commit_callbacks
):
    platform = PlatformPageFactory()
    demand = DemandPageFactory(parent=platform)
    link, _response = confirm_through_email(client, demand, django_capture_on_commit_callbacks)

    def queries() -> int:
        # Cold each time, so that the one-second live count cannot make the two differ.
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(link).status_code == 200
        return len(captured)

    DemandPageFactory(parent=platform)
    few = queries()
    for _ in range(5):
        SignatureFactory(demand=DemandPageFactory(parent=platform))
    assert queries() == few


def test_a_demand_outside_a_platform_lists_no_others(client, django_capture_on_commit_callbacks):
    demand = DemandPageFactory()
    DemandPageFactory()
    _link, response = confirm_through_email(client, demand, django_capture_on_commit_callbacks)
    assert 'id="unsigned-heading"' not in response.content.decode()


def card_counts(html: str) -> dict[str, str]:
    """Each demand card's title and displayed count."""
    counts = {}
    for card in html.split('<article class="card demand-card">')[1:]:
        title = re.search(r'class="card__title"><a href="[^"]+">([^<]+)</a>', card).group(1)
        counts[title] = re.search(r'demand-card__count"><strong>([^<]+)<', card).group(1)
    return counts


def test_every_demand_card_shows_its_count_and_progress(client):
    platform = PlatformPageFactory()
    on_platform = DemandPageFactory(parent=platform, title="On the platform")
    alone = DemandPageFactory(title="On its own", milestones="10")
    topic = TopicFactory()
    alone.topics.set([topic])
    alone.save_revision().publish()
    SignatureFactory.create_batch(3, demand=on_platform)
    SignatureFactory.create_batch(5, demand=alone)
    SignatureFactory(demand=alone, held=True)

    index = client.get("/demands/").content.decode()
    assert card_counts(index) == {"On its own": "5"}
    assert 'value="50"' in index, "halfway to 10"
    assert card_counts(client.get(platform.url).content.decode()) == {"On the platform": "3"}
    assert card_counts(client.get(topic.get_absolute_url()).content.decode()) == {"On its own": "5"}

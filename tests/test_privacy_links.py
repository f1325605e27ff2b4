"""The privacy page is linked from the footer and from every form that asks who you are, and
left out while the site has none."""

import importlib
import re

import pytest
from django import forms
from django.conf import settings
from django.core import mail
from django.urls import reverse

from campaigns.factories import DemandPageFactory
from campaigns.forms import SignatureChoicesForm, SignatureForm
from digests.forms import SignupForm, SubscribeForm
from events.factories import EventPageFactory
from events.forms import RsvpForm
from hub import demo
from hub.factories import ContentPageFactory
from hub.models import HomePage
from hub.subpages import subpage_url
from hub.templatetags.navigation_tags import PRIVACY_SLUG
from networks.factories import NetworkIndexPageFactory
from networks.forms import InvitationForm, NetworkApplicationForm
from pledges.factories import PledgeFactory, PledgerFactory
from pledges.forms import PledgerChoicesForm, PledgerForm
from pledges.links import pledger_link
from tests.campaigns.conftest import sign_data
from tests.networks.conftest import approved_network, verified_user

pytestmark = pytest.mark.django_db

LINK_TEXT = "What we keep about you, and what we never show"


def demand_sign(client, capture):
    return client.get(DemandPageFactory().url)


def signature_confirm(client, capture):
    demand = DemandPageFactory()
    with capture(execute=True):
        client.post(demand.url, sign_data())
    return client.get(re.search(r"/signatures/confirm/[^/\s]+/", mail.outbox[-1].body).group(0))


def event_rsvp(client, capture):
    return client.get(EventPageFactory().url)


def event_rsvp_again_after_a_mistake(client, capture):
    event = EventPageFactory()
    return client.post(reverse("events:rsvp", args=[event.pk]), {"name": "", "email": "nope"})


def digest_subscribe(client, capture):
    return client.get(reverse("digests:subscribe"))


def account_page(name, *, signed_in=False):
    def get(client, capture):
        if signed_in:
            client.force_login(verified_user("member@example.org"))
        return client.get(reverse(name))

    get.__name__ = name
    return get


def network_application(client, capture):
    directory = NetworkIndexPageFactory()
    client.force_login(verified_user("applicant@example.org"))
    return client.get(subpage_url(directory, "apply"))


def network_invitation(client, capture):
    network = approved_network("Harbour Circle")
    client.force_login(network.memberships.get().user)
    return client.get(subpage_url(network, "members"))


def pledge_sign(client, capture):
    return client.get(PledgeFactory().get_absolute_url())


def pledger_confirm(client, capture):
    pledger = PledgerFactory(confirmed_at=None)
    return client.get(pledger_link(pledger=pledger, action="confirm"))


# Each page with a form that asks who you are, and our form classes it shows.
FORMS = [
    (demand_sign, [SignatureForm]),
    (signature_confirm, [SignatureChoicesForm]),
    (event_rsvp, [RsvpForm]),
    (event_rsvp_again_after_a_mistake, [RsvpForm]),
    (digest_subscribe, [SubscribeForm]),
    (account_page("account_signup"), [SignupForm]),
    (account_page("account_login"), []),
    (account_page("account_reset_password"), []),
    (account_page("account_email", signed_in=True), []),
    (network_application, [NetworkApplicationForm]),
    (network_invitation, [InvitationForm]),
    (pledge_sign, [PledgerForm]),
    (pledger_confirm, [PledgerChoicesForm]),
]


def our_forms(cls=forms.BaseForm):
    for subclass in cls.__subclasses__():
        if subclass.__module__.split(".")[0] in settings.LOCAL_APPS:
            yield subclass
        yield from our_forms(subclass)


def asks_who_you_are(form_class) -> bool:
    fields = form_class.base_fields
    return "name" in fields or any(isinstance(f, forms.EmailField) for f in fields.values())


def test_every_form_of_ours_that_asks_a_name_or_an_email_is_checked():
    for app in settings.LOCAL_APPS:
        if importlib.util.find_spec(f"{app}.forms"):
            importlib.import_module(f"{app}.forms")
    asking = {form for form in our_forms() if asks_who_you_are(form)}
    checked = {form for _page, classes in FORMS for form in classes}
    assert asking - checked == set(), "a new form asks who you are: add its page to FORMS"


@pytest.fixture
def privacy_page(db):
    return ContentPageFactory(parent=HomePage.objects.get(), title="Privacy", slug="privacy")


def main_part(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


def footer_part(html: str) -> str:
    return html[html.index("<footer") : html.index("</footer>")]


@pytest.mark.parametrize("form", [page for page, _classes in FORMS], ids=lambda form: form.__name__)
def test_every_form_that_asks_who_you_are_links_to_the_privacy_page(
    client, django_capture_on_commit_callbacks, privacy_page, form
):
    response = form(client, django_capture_on_commit_callbacks)
    assert response.status_code < 500
    html = response.content.decode()
    assert "<form" in main_part(html)
    assert f'<a href="{privacy_page.url}">{LINK_TEXT}</a>' in main_part(html)


def test_the_footer_links_to_the_privacy_page(client, privacy_page):
    html = client.get("/").content.decode()
    assert f'<a href="{privacy_page.url}">Privacy</a>' in footer_part(html)


def test_without_a_privacy_page_the_links_are_left_out(client):
    for url in ["/", reverse("digests:subscribe"), reverse("account_signup")]:
        html = client.get(url).content.decode()
        assert LINK_TEXT not in html and ">Privacy</a>" not in html, url


def test_the_demo_makes_the_page_the_links_look_for():
    assert PRIVACY_SLUG in {slug for _title, slug, *_rest in demo.PAGES}

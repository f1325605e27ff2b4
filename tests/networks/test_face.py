"""A network's face (logo, strapline, initials), the registration form around them, the
directory's UK-wide networks, and the moderators told of applications: by email and on the
admin dashboard."""

import io
import os

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from campaigns.factories import SignatureFactory
from campaigns.models import Signature
from hub.factories import ImageFactory, UserFactory
from hub.models import Region
from networks import approval
from networks.factories import NetworkPageFactory
from networks.forms import LOGO_MAX_BYTES
from networks.models import NetworkApplication, NetworkPage

from .conftest import approved_network, verified_user
from .test_listings import count_queries
from .test_registration import APPLY, form_data

pytestmark = pytest.mark.django_db


def png(size=(64, 64), *, noise=False, name="our logo.png") -> SimpleUploadedFile:
    if noise:
        image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    else:
        image = Image.new("RGB", size, "#2e6b30")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def applicant_client(client, index_page):
    client.force_login(verified_user("applicant@example.org"))
    return client


def test_the_form_marks_required_fields_and_offers_a_logo_upload(applicant_client):
    html = applicant_client.get(APPLY).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "Network name (required)" in html
    assert "About the network (required)" in html
    assert "Website (required)" not in html and "Website" in html
    assert 'type="file" name="logo"' in html
    assert "2.0\xa0MB" in html, "the size limit is said before the upload"


def test_logo_and_strapline_go_from_the_application_to_the_page(applicant_client, moderator):
    response = applicant_client.post(
        APPLY, {**form_data(), "strapline": "Peer support by the sea", "logo": png()}
    )
    assert response.status_code == 302
    application = NetworkApplication.objects.get()
    assert application.strapline == "Peer support by the sea"
    assert application.logo.name.startswith("network-applications/")
    assert application.logo.name.endswith(".png") and "our logo" not in application.logo.name

    network = approval.network_approve(application=application, moderator=moderator)
    network.refresh_from_db()
    assert network.strapline == "Peer support by the sea"
    assert network.logo is not None and network.logo.width == 64
    assert network.logo.uploaded_by_user == application.applicant

    page = Client().get(network.url).content.decode()
    assert "Peer support by the sea" in page
    assert 'class="network-badge network-badge--logo network-badge--96"' in page
    directory = Client().get("/networks/").content.decode()
    card = directory.split('class="card network-card"')[1].split("</article>")[0]
    assert "Peer support by the sea" in card and "network-badge--logo" in card


def test_without_a_logo_the_network_shows_its_initials(client, index_page):
    network = NetworkPageFactory(parent=index_page, title="Clyde Survivors Network")
    html = client.get(network.url).content.decode()
    assert 'aria-hidden="true">CS</span>' in html
    assert 'aria-hidden="true">CS</span>' in client.get(index_page.url).content.decode()


def test_the_directory_shows_logos_in_the_same_queries_for_two_or_twelve(client, index_page):
    def add(count):
        for _ in range(count):
            NetworkPageFactory(parent=index_page, logo=ImageFactory())
        return count_queries(client, index_page.url)

    two = add(2)
    assert add(10) == two
    assert client.get(index_page.url).content.decode().count("network-badge--logo") == 12


@pytest.mark.parametrize(
    ("upload", "error"),
    [
        (SimpleUploadedFile("logo.png", b"not an image", content_type="image/png"),
         "This file is not an image we can read"),
        (png((1100, 1100), noise=True), "it can be at most 2.0\xa0MB"),
    ],
)  # fmt: skip
def test_a_logo_that_is_no_image_or_too_large_is_refused_clearly(applicant_client, upload, error):
    assert upload.size < 100 or upload.size > LOGO_MAX_BYTES
    response = applicant_client.post(APPLY, {**form_data(), "logo": upload})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not NetworkApplication.objects.exists()


def test_after_thank_you_the_page_shows_no_empty_form(applicant_client):
    applicant_client.post(APPLY, form_data())
    html = applicant_client.get(APPLY).content.decode()
    assert "your application is with the hub" in html
    assert 'name="name"' not in html, "no empty form to fill again"
    assert "Harbour Peer Support Circle: Waiting for moderation" in html
    another = applicant_client.get(APPLY, {"another": "1"}).content.decode()
    assert 'name="name"' in another


def test_an_application_emails_the_moderators_and_superusers_only(
    applicant_client, django_capture_on_commit_callbacks
):
    group_member = UserFactory(email="group.moderator@example.org")
    group_member.groups.add(Group.objects.get(name="Moderators"))
    UserFactory(email="root@example.org", is_superuser=True, is_staff=True)
    UserFactory(email="gone@example.org", is_superuser=True, is_active=False)
    UserFactory(email="editor@example.org", is_staff=True)

    with django_capture_on_commit_callbacks(execute=True):
        applicant_client.post(APPLY, {**form_data(), "strapline": "By the sea"})
    application = NetworkApplication.objects.get()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "group.moderator@example.org",
        "root@example.org",
    ]
    assert all(len(message.to) == 1 for message in mail.outbox)
    message = mail.outbox[0]
    assert "Harbour Peer Support Circle" in message.subject
    review = reverse("network_applications:inspect", args=[application.pk])
    assert review in message.body and "By the sea" in message.body


def test_filtering_by_region_includes_uk_wide_networks(client, index_page):
    NetworkPageFactory(parent=index_page, title="Union of Talking Therapy Workers")
    NetworkPageFactory(
        parent=index_page,
        title="Clyde Survivors",
        regions=list(Region.objects.filter(slug="scotland")),
    )
    NetworkPageFactory(
        parent=index_page,
        title="Harbour Peer Support",
        regions=list(Region.objects.filter(slug="south-west")),
    )
    html = client.get(index_page.url, {"region": "scotland"}).content.decode()
    assert "Clyde Survivors" in html and "Harbour Peer Support" not in html
    uk_wide = html.split("Union of Talking Therapy Workers")[1].split("</article>")[0]
    assert "UK-wide" in uk_wide
    assert "2 networks" in html
    assert "UK-wide networks are listed in every region." in html


def dashboard(user) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_dashboard_counts_what_waits_for_moderators(index_page):
    applicant = verified_user("applicant@example.org")
    NetworkApplication.objects.create(
        applicant=applicant, name="Solent", name_key="solent", kind="other", description="x"
    )
    SignatureFactory(held=True)
    SignatureFactory(held=False)
    moderator = UserFactory(email="mod@example.org")
    moderator.groups.add(Group.objects.get(name="Moderators"))

    html = dashboard(moderator)
    assert "Waiting for moderators" in html
    applications = reverse("network_applications:index") + "?status=pending"
    assert f'href="{applications}"><strong>1</strong> network application waiting' in html
    held = reverse(Signature.snippet_viewset.get_url_name("list"))
    assert f'href="{held}"><strong>1</strong> held signature waiting' in html


def test_a_network_editor_does_not_see_the_moderators_panel(index_page):
    network = approved_network("Clyde Survivors Network")
    editor = network.memberships.get().user
    assert editor.groups.filter(pk=network.editors_group_id).exists()
    html = dashboard(editor)
    assert "Waiting for moderators" not in html
    assert "network application" not in html


def test_the_network_page_still_shows_its_regions(client, index_page):
    network = NetworkPageFactory(parent=index_page, title="Tyneside")
    assert NetworkPage.objects.get(pk=network.pk).strapline == ""
    assert "UK-wide" in client.get(network.url).content.decode()

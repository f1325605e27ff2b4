import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import rich_text

from campaigns.factories import SignatureFactory
from campaigns.records import NetworkCoSignature
from targets.models import Delivery, Target, TargetResponse
from tests.campaigns.conftest import live_networks
from tests.networks.conftest import approved_network, verified_user

from .conftest import delivered

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def log_in(user):
        client.force_login(user)
        return client

    return log_in


def test_a_moderator_chooses_the_demand_and_the_form_is_prefilled(
    client_of, moderator, demand, target
):
    Target.objects.create(name="DHSC", slug="dhsc")
    demand.targets.add(target)
    demand.save()
    SignatureFactory.create_batch(3, demand=demand)
    network = live_networks(1)[0]
    NetworkCoSignature.objects.create(demand=demand, network=network)
    client = client_of(moderator)
    assert client.get(reverse("deliveries:add")).url == reverse("deliveries:choose_demand")
    choose = client.get(reverse("deliveries:choose_demand"))
    assert choose.status_code == 200 and demand.title in choose.content.decode()
    response = client.get(reverse("deliveries:add"), {"demand": demand.pk})
    form = response.context["form"]
    assert list(form.fields["target"].queryset) == [target]
    assert form.initial["signature_count"] == 3
    assert form.initial["networks"] == [network.pk]
    assert client.get(reverse("deliveries:add"), {"demand": 999999}).status_code == 404


def test_a_moderator_records_a_delivery_and_its_response(
    client_of, moderator, demand, target, django_capture_on_commit_callbacks
):
    SignatureFactory(demand=demand, email="kept@example.net", keep_updated=True)
    client = client_of(moderator)
    url = reverse("deliveries:add") + f"?demand={demand.pk}"
    data = {
        "demand": demand.pk, "target": target.pk, "delivered_on": "2026-11-02",
        "method": "email", "signature_count": "1", "note": "", "response_due": "",
    }  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, data).status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.response_due == datetime.date(2026, 11, 30)
    assert delivery.recorded_by == moderator
    assert [m.to for m in mail.outbox] == [["kept@example.net"]]
    edit = client.get(reverse("deliveries:edit", args=[delivery.pk]))
    assert "Record the response" in edit.content.decode()
    add = reverse("target_responses:add") + f"?delivery={delivery.pk}"
    empty = client.post(
        add, {"delivery": delivery.pk, "received_on": "2026-11-20", "text": rich_text("")}
    )
    assert empty.status_code == 400
    assert "text, its document, or both" in empty.content.decode()
    answer = {
        "delivery": delivery.pk,
        "received_on": "2026-11-20",
        "text": rich_text("<p>Noted.</p>"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(add, answer).status_code == 302
    assert TargetResponse.objects.get().recorded_by == moderator
    assert len(mail.outbox) == 2


def test_a_second_response_is_refused_with_a_message(client_of, moderator, demand, target):
    delivery = delivered(demand, target, moderator)
    TargetResponse.objects.create(delivery=delivery, text="Once.")
    add = reverse("target_responses:add") + f"?delivery={delivery.pk}"
    response = client_of(moderator).post(
        add,
        {"delivery": delivery.pk, "received_on": "2026-11-20", "text": rich_text("<p>Twice</p>")},
    )
    assert response.status_code == 400
    assert TargetResponse.objects.count() == 1


def test_the_demand_edit_page_links_to_recording_a_delivery(client_of, moderator, demand):
    page = client_of(moderator).get(reverse("wagtailadmin_pages:edit", args=[demand.pk]))
    assert f"{reverse('deliveries:add')}?demand={demand.pk}" in page.content.decode()


def test_a_network_editor_reaches_no_delivery_url(client_of, moderator, demand, target):
    editor = verified_user("editor@alpha.example")
    approved_network("Network Alpha", applicant=editor, moderator=moderator)
    delivery = delivered(demand, target, moderator)
    response = TargetResponse.objects.create(delivery=delivery, text="Private until shown.")
    client = client_of(editor)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    urls = [
        reverse("deliveries:index"),
        reverse("deliveries:choose_demand"),
        reverse("deliveries:add"),
        reverse("deliveries:add") + f"?demand={demand.pk}",
        reverse("deliveries:edit", args=[delivery.pk]),
        reverse("deliveries:delete", args=[delivery.pk]),
        reverse("deliveries:history", args=[delivery.pk]),
        reverse("deliveries:usage", args=[delivery.pk]),
        reverse("target_responses:index"),
        reverse("target_responses:add") + f"?delivery={delivery.pk}",
        reverse("target_responses:edit", args=[response.pk]),
        reverse("target_responses:delete", args=[response.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code in (302, 403, 404), url
        assert client.post(url, {"text": rich_text("<p>x</p>")}).status_code in (302, 403, 404), url
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("deliveries:index") not in home
    page = client.get(reverse("wagtailadmin_pages:edit", args=[demand.pk]))
    assert reverse("deliveries:add") not in page.content.decode()


def test_a_moved_due_date_moves_the_days_overdue_at_once(client_of, moderator, demand, target):
    delivery = delivered(
        demand, target, moderator, delivered_on=datetime.date(2026, 1, 5),
        response_due=datetime.date(2026, 2, 2),
    )  # fmt: skip
    assert delivery.days_overdue > 0
    later = timezone.localdate() + datetime.timedelta(days=30)
    data = {
        "demand": demand.pk, "target": target.pk, "delivered_on": "2026-01-05",
        "method": delivery.method, "signature_count": "120", "note": "",
        "response_due": later.isoformat(),
    }  # fmt: skip
    url = reverse("deliveries:edit", args=[delivery.pk])
    assert client_of(moderator).post(url, data).status_code == 302
    delivery.refresh_from_db()
    assert (delivery.response_due, delivery.days_overdue) == (later, 0)


def test_the_emails_say_what_happened_in_plain_words(demand, target, moderator):
    from hub.models import OutboxMessage
    from targets.announcements import delivery_announce

    SignatureFactory(demand=demand, email="kept@example.net", keep_updated=True)
    delivery = delivered(demand, target, moderator, method="post", signature_count=1)
    delivery_announce(delivery_id=delivery.pk)
    message = OutboxMessage.objects.get()
    assert message.subject == f"Delivered to NHS England: {demand.title}"
    assert "was delivered to NHS England on 2 November 2026 (by post), with 1 signature." in (
        message.text
    )

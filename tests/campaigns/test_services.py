import threading
from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection
from django.utils import timezone
from wagtail.models import ReferenceIndex

from campaigns import selectors, services
from campaigns.factories import DemandPageFactory, SignatureFactory
from campaigns.models import DemandTally, Signature
from hub.models import OutboxMessage
from networks.factories import MembershipFactory, NetworkPageFactory
from tests.conftest import run_in_threads

from .conftest import confirm


def sign(demand, **overrides):
    kwargs = {"demand": demand, "name": "Ada", "email": "ada@gmail.com", "kind": "worker"}
    kwargs.update(overrides)
    return services.signature_create(**kwargs)


@pytest.mark.django_db
def test_a_new_signature_is_unconfirmed_and_emailed_a_confirmation(
    demand, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = sign(demand, postcode="m1 1ae")
    signature = result.signature
    signature.refresh_from_db()
    assert result.created
    assert signature.confirmed_at is None
    assert (signature.postcode_outward, signature.region) == ("M1", "north-west")
    assert signature.confirmation_message.sent_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ada@gmail.com"]
    assert "/signatures/confirm/" in message.body
    assert "/signatures/withdraw/" in message.body
    assert "/signatures/withdraw/" in message.extra_headers["List-Unsubscribe"]
    assert selectors.demand_count(demand=demand) == 0
    assert not ReferenceIndex.objects.filter(
        base_content_type=ContentType.objects.get_for_model(Signature)
    ).exists(), "a signature is no part of Wagtail's reference index"


@pytest.mark.django_db
def test_signing_again_resends_at_most_once_an_hour(demand, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = sign(demand).signature
        again = sign(demand, email="A.DA+again@gmail.com")
    assert again.signature.pk == first.pk and not again.created
    assert len(mail.outbox) == 1

    OutboxMessage.objects.update(created_at=timezone.now() - timedelta(hours=1, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        sign(demand)
        sign(demand)
    assert len(mail.outbox) == 2


@pytest.mark.django_db
def test_signing_a_confirmed_signature_again_sends_a_kind_note_at_most_once_an_hour(
    demand, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signature = sign(demand).signature
    confirm(signature)
    with django_capture_on_commit_callbacks(execute=True):
        again = sign(demand, name="Mallory", email="A.da+x@gmail.com")
        sign(demand)
    assert not again.created
    assert len(mail.outbox) == 2, "one note, not one per submission"
    note = mail.outbox[1]
    assert note.to == ["ada@gmail.com"]
    assert note.subject == f"You have already signed: {demand.title}"
    assert "already signed" in note.body and "/signatures/confirm/" not in note.body
    assert "/signatures/withdraw/" in note.body
    assert "/signatures/withdraw/" in note.extra_headers["List-Unsubscribe"]
    signature.refresh_from_db()
    assert signature.name == "Ada", "a confirmed signature is never changed by a submission"


@pytest.mark.django_db
def test_the_already_signed_note_counts_against_the_mailbox_day_limit(
    django_capture_on_commit_callbacks,
):
    day_limit = services.EMAIL_RESEND_LIMITS[0][1]
    demands = [DemandPageFactory() for _ in range(day_limit + 1)]
    for other in demands:
        confirm(sign(other).signature)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for other in demands:
            sign(other)
    assert len(mail.outbox) == day_limit


@pytest.mark.django_db
def test_the_displayed_count_is_exact_before_and_after_folding(demand):
    SignatureFactory.create_batch(3, demand=demand)
    SignatureFactory(demand=demand, confirmed_at=None)
    SignatureFactory(demand=demand, held=True)
    assert selectors.demand_count(demand=demand) == 3
    assert services.tally_fold(demand_id=demand.pk, batch=2) == 2
    assert selectors.demand_count(demand=demand) == 3
    assert services.tally_fold_all() == 1
    assert DemandTally.objects.get(demand=demand).count == 3
    assert selectors.demand_count(demand=demand) == 3
    assert services.tally_recount(demand_id=demand.pk) == 0


@pytest.mark.django_db
def test_the_recount_corrects_drift(demand):
    SignatureFactory.create_batch(4, demand=demand)
    services.tally_fold_all()
    DemandTally.objects.filter(demand=demand).update(count=10)
    assert services.tally_recount(demand_id=demand.pk) == 6
    assert selectors.demand_count(demand=demand) == 4
    assert services.tally_recount_all(demand_ids=[demand.pk]) == {demand.pk: 0}


@pytest.mark.django_db
def test_withdrawing_a_counted_signature_takes_it_off_the_count(demand):
    kept, withdrawn, pending = SignatureFactory.create_batch(3, demand=demand)
    services.tally_fold_all()
    assert services.signature_withdraw(signature=withdrawn)
    assert not services.signature_withdraw(signature=withdrawn)
    assert selectors.demand_count(demand=demand) == 2
    assert services.tally_recount(demand_id=demand.pk) == 0
    assert services.signature_withdraw(signature=pending)
    assert selectors.demand_count(demand=demand) == 1


@pytest.mark.django_db
def test_unconfirmed_signatures_are_purged_after_seven_days(demand):
    old = SignatureFactory(demand=demand, confirmed_at=None)
    Signature.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=8))
    fresh = SignatureFactory(demand=demand, confirmed_at=None)
    confirmed = SignatureFactory(demand=demand)
    Signature.objects.filter(pk=confirmed.pk).update(created_at=timezone.now() - timedelta(days=30))
    assert services.signatures_purge_unconfirmed() == 1
    assert set(Signature.objects.values_list("pk", flat=True)) == {fresh.pk, confirmed.pk}


@pytest.mark.django_db
def test_past_the_per_ip_limit_signatures_are_held_until_cleared(demand):
    burst = services.IP_LIMITS[0][1]
    results = [
        sign(demand, email=f"person{n}@gmail.com", ip="203.0.113.9") for n in range(burst + 3)
    ]
    held = [result.signature for result in results if result.signature.held]
    assert len(held) == 3
    for result in results:
        confirm(result.signature)
    services.tally_fold_all()
    assert selectors.demand_count(demand=demand) == burst
    assert sign(demand, email="other@gmail.com", ip="198.51.100.1").signature.held is False

    assert services.signatures_clear(signature_ids=[held[0].pk]) == 1
    assert services.signatures_invalidate(signature_ids=[held[1].pk]) == 1
    services.tally_fold_all()
    assert selectors.demand_count(demand=demand) == burst + 1
    assert services.tally_recount(demand_id=demand.pk) == 0


@pytest.mark.django_db
def test_a_non_webmail_domain_is_limited_but_webmail_is_not(demand, settings):
    burst = services.DOMAIN_LIMITS[0][1]
    org = [sign(demand, email=f"p{n}@union.example").signature for n in range(burst + 1)]
    webmail = [sign(demand, email=f"p{n}@outlook.com").signature for n in range(burst + 1)]
    assert [signature.held for signature in org].count(True) == 1
    assert not any(signature.held for signature in webmail)


@pytest.mark.django_db
def test_network_cosigning_is_for_network_admins_only(demand):
    from django.core.exceptions import PermissionDenied

    admin = MembershipFactory()
    editor = MembershipFactory(network=admin.network, role="editor")
    with pytest.raises(PermissionDenied):
        services.network_cosignature_create(network=admin.network, demand=demand, user=editor.user)
    services.network_cosignature_create(
        network=admin.network, demand=demand, user=admin.user, statement="Yes."
    )
    services.network_cosignature_create(
        network=admin.network, demand=demand, user=admin.user, statement="Yes, again."
    )
    coalition = list(selectors.demand_coalition(demand=demand))
    assert [c.statement for c in coalition] == ["Yes, again."]
    assert services.network_cosignature_withdraw(
        network=admin.network, demand=demand, user=admin.user
    )
    assert not selectors.demand_coalition(demand=demand).exists()


@pytest.mark.django_db
def test_a_platform_is_cosigned_and_withdrawn_as_a_whole():
    from campaigns.factories import PlatformPageFactory

    platform = PlatformPageFactory()
    demands = DemandPageFactory.create_batch(3, parent=platform)
    admin = MembershipFactory()
    other = NetworkPageFactory()
    assert services.platform_cosign(network=admin.network, platform=platform, user=admin.user) == 3
    table = selectors.platform_table(platform=platform)
    assert table["demands"] == demands
    assert [(row["network"], row["cells"]) for row in table["rows"]] == [
        (admin.network, [(demand, True) for demand in demands])
    ]
    assert other not in [row["network"] for row in table["rows"]]
    services.platform_cosign_withdraw(network=admin.network, platform=platform, user=admin.user)
    assert selectors.platform_table(platform=platform)["rows"] == []


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_submissions_of_one_email_make_one_signature_and_one_email():
    demand = DemandPageFactory()
    spellings = ["ada@gmail.com", " ADA@gmail.com", "a.da+1@gmail.com", "ada@googlemail.com"]

    run_in_threads(
        50, lambda n: sign(demand, email=spellings[n % len(spellings)], ip=f"10.0.{n}.1")
    )

    assert Signature.objects.filter(demand=demand).count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_hundred_concurrent_confirmations_are_each_counted_once():
    demand = DemandPageFactory()
    SignatureFactory.create_batch(7, demand=demand)
    services.tally_fold_all()
    before = DemandTally.objects.get(demand=demand).count
    pending = SignatureFactory.create_batch(200, demand=demand, confirmed_at=None)
    stop = threading.Event()

    def fold_while_confirming():
        try:
            while not stop.is_set():
                services.tally_fold(demand_id=demand.pk, batch=17)
        finally:
            connection.close()

    folders = [threading.Thread(target=fold_while_confirming) for _ in range(3)]
    for folder in folders:
        folder.start()

    def confirm_every_fortieth(start):
        for signature in pending[start::40]:
            confirm(signature)

    try:
        # 40 connections at once, each confirming 5: well inside PostgreSQL's default 100.
        run_in_threads(40, confirm_every_fortieth)
    finally:
        stop.set()
        for folder in folders:
            folder.join()
    services.tally_fold_all()

    assert DemandTally.objects.get(demand=demand).count - before == 200
    assert selectors.demand_count(demand=demand) == 207
    assert services.tally_recount(demand_id=demand.pk) == 0


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, {"next": 100, "previous": 0, "percent": 0}),
        (50, {"next": 100, "previous": 0, "percent": 50}),
        (100, {"next": 1000, "previous": 100, "percent": 0}),
        (550, {"next": 1000, "previous": 100, "percent": 50}),
        (1000, {"next": None, "previous": 1000, "percent": 100}),
    ],
)
def test_progress_runs_to_the_next_milestone(count, expected):
    assert selectors.milestone_progress(count=count, milestones=[100, 1000]) == expected


@pytest.mark.django_db
def test_a_surge_is_folded_a_batch_at_a_time(demand):
    SignatureFactory.create_batch(25, demand=demand)
    assert services.tally_fold_all(batch=10, rounds=2) == 20
    assert selectors.demand_count(demand=demand) == 25
    assert services.tally_fold_all(batch=10) == 5
    assert DemandTally.objects.get(demand=demand).count == 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_fifty_concurrent_form_posts_of_one_email_make_one_signature_and_one_email():
    from django.test import Client

    from .conftest import sign_data

    demand = DemandPageFactory()
    statuses = []

    def post(n):
        response = Client().post(
            demand.url, sign_data(email=f"ADA+{n}@gmail.com"), REMOTE_ADDR=f"10.1.{n}.1"
        )
        statuses.append((response.status_code, b"Check your email" in response.content))

    run_in_threads(50, post)

    assert statuses == [(200, True)] * 50
    assert Signature.objects.filter(demand=demand).count() == 1
    assert len(mail.outbox) == 1

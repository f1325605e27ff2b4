"""Demo pledges: one open and three short of its threshold, proposed by a network, and one a
member proposed that has bound. Idempotent: what exists is left as it is."""

import random
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from hub.addresses import email_canonical
from hub.demo import demo_person
from hub.models import Topic
from networks.models import NetworkPage

from .models import Pledge, PledgeAudience, Pledger, PledgeStatus

ORGANISER_EMAIL = "sam.organiser@free-association.example"
PROPOSING_NETWORK = "Union of Talking Therapy Workers"
FIRST_NAMES = ["Aisha", "Ben", "Chloe", "Dev", "Eilidh", "Femi", "Gwen", "Hamid", "Isla", "Jo"]
LAST_NAMES = ["Adeyemi", "Brown", "Campbell", "Davies", "Evans", "Khan", "Murphy", "Patel"]

# slug, action, threshold, audience, deadline in days from today, details, next steps, topics,
# confirmed pledgers, unconfirmed ones, proposed by the network (else by a member), and
# whether it has bound (when its threshold-th pledger confirmed).
PLEDGES = [
    (
        "six-sessions-review",
        "refuse to run more than six sessions per client without a clinical review of what "
        "the client needs",
        50,
        PledgeAudience.WORKER,
        21,
        "Session limits are set by targets, not by clinicians. If fifty of us refuse together, "
        "no one of us can be singled out, and services have to review cases properly.",
        "Tell your line manager in writing, with the letter the union provides, that from the "
        "first of next month you will ask for a clinical review before a seventh session is "
        "refused. Bring any reply to the branch meeting.",
        ["iapt-and-talking-therapies", "workforce-pay-and-conditions"],
        47,
        4,
        True,
        False,
    ),
    (
        "workers-cafe-autumn",
        "attend the workers' cafe on caseloads and bring one colleague who has not been before",
        30,
        PledgeAudience.WORKER,
        10,
        "The cafe is where we compare caseloads across services. It works when new people come.",
        "The cafe meets on the last Thursday of the month. Reply to the confirmation email to "
        "say who you are bringing, so there are enough chairs and tea.",
        ["workforce-pay-and-conditions"],
        34,
        2,
        False,
        True,
    ),
]


def seed_pledges() -> dict[str, int]:
    network = (
        NetworkPage.objects.live().filter(title=PROPOSING_NETWORK).first()
        or NetworkPage.objects.live().order_by("path").first()
    )
    organiser = demo_person(ORGANISER_EMAIL, first_name="Sam")
    moderator = get_user_model().objects.filter(email=settings.DEMO_ADMIN_EMAIL).first()
    for position, spec in enumerate(PLEDGES):
        _seed_pledge(
            spec=spec, seed=position, network=network, organiser=organiser, moderator=moderator
        )
    return {"pledges": Pledge.objects.count()}


def _seed_pledge(*, spec, seed, network, organiser, moderator) -> Pledge:
    (slug, action, threshold, audience, deadline_days, details, next_steps, topic_slugs,
     confirmed, unconfirmed, by_network, bound) = spec  # fmt: skip
    pledge = Pledge.objects.filter(slug=slug).first()
    if pledge is not None:
        return pledge
    now = timezone.now()
    pledge = Pledge.objects.create(
        slug=slug,
        action=action,
        threshold=threshold,
        audience=audience,
        deadline=timezone.localdate() + timedelta(days=deadline_days),
        details=details,
        next_steps=next_steps,
        allow_contact=True,
        network=network if by_network else None,
        created_by=organiser,
        created_at=now - timedelta(days=30),
        status=PledgeStatus.OPEN,
        reviewed_by=moderator,
        reviewed_at=now - timedelta(days=29),
    )
    pledge.topics.set(Topic.objects.filter(slug__in=topic_slugs))
    pledgers = _pledgers(pledge=pledge, seed=seed, confirmed=confirmed, unconfirmed=unconfirmed)
    Pledger.objects.bulk_create(pledgers)
    if bound:
        pledge.status = PledgeStatus.BOUND
        pledge.bound_at = sorted(p.confirmed_at for p in pledgers if p.confirmed_at)[threshold - 1]
        pledge.save(update_fields=["status", "bound_at"])
    return pledge


def _pledgers(*, pledge, seed, confirmed, unconfirmed) -> list[Pledger]:
    """Confirmed pledgers over the days since review, about half of them named; then a few who
    have not confirmed yet (not counted, never shown)."""
    rng = random.Random(seed)  # noqa: S311 -- demo data, not security
    start = pledge.reviewed_at
    span = (timezone.now() - start).total_seconds()
    pledgers = []
    for number in range(confirmed + unconfirmed):
        email = f"demo-pledger-{pledge.slug}-{number}@example.org"
        at = start + timedelta(seconds=span * (number + rng.random()) / (confirmed + unconfirmed))
        pledgers.append(
            Pledger(
                pledge=pledge,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                email=email,
                email_canonical=email_canonical(email),
                kind=PledgeAudience.WORKER,
                show_name=rng.random() < 0.5,
                contactable=rng.random() < 0.6,
                created_at=at - timedelta(minutes=rng.randrange(5, 600)),
                confirmed_at=at if number < confirmed else None,
            )
        )
    return pledgers

"""A member's home: what they follow, the events they answered, the demands they signed, the
pledges they made, the surveys they answered and the networks they are in, each read in one
query whatever its length."""

from django.db.models import Q
from django.utils import timezone
from wagtail.permission_policies.pages import PagePermissionPolicy

from campaigns.models import Signature
from events.models import Rsvp, RsvpStatus
from hub.addresses import email_canonical
from networks.models import Membership
from pledges.models import Pledger
from pledges.selectors import PUBLIC_STATUSES
from surveys.rights import member_responses

from .models import DigestFrequency, MemberPreferences


def member_rsvps(*, user):
    """The member's answers to events still to come, by account or by their address (an answer
    given before signing in), the way the events app keeps one answer per person."""
    return Rsvp.objects.filter(
        Q(user=user) | Q(email_normalised=email_canonical(user.email, gmail_dots=False)),
        event__end__gte=timezone.now(),
    ).exclude(status=RsvpStatus.CANCELLED)


def member_signatures(*, user):
    """The member's signatures, by account or by their address, as `member_signature` finds one."""
    return Signature.objects.filter(Q(user=user) | Q(email_canonical=email_canonical(user.email)))


def member_pledges(*, user):
    """The member's pledges on public pledges, by account or by their address."""
    return Pledger.objects.filter(
        Q(user=user) | Q(email_canonical=email_canonical(user.email)),
        pledge__status__in=PUBLIC_STATUSES,
    )


def member_home(*, user) -> dict:
    preferences = MemberPreferences.objects.filter(user=user).first()
    if preferences is None:
        networks, topics, demands = [], [], []
        frequency = DigestFrequency.OFF
    else:
        networks = list(preferences.networks.live().order_by("title"))
        topics = list(preferences.topics.order_by("name"))
        demands = list(preferences.demands.live().order_by("title"))
        frequency = preferences.digest_frequency
    memberships = list(
        Membership.objects.filter(user=user, network__live=True)
        .select_related("network")
        .order_by("network__title")
    )
    editable = set(
        PagePermissionPolicy()
        .instances_user_has_permission_for(user, "change")
        .filter(pk__in=[membership.network_id for membership in memberships])
        .values_list("pk", flat=True)
    )
    return {
        "digest_frequency": frequency,
        "digest_off": frequency == DigestFrequency.OFF,
        "followed_networks": networks,
        "followed_topics": topics,
        "followed_demands": demands,
        # With what each reply may see of where the event is (Rsvp.location): in full for a
        # confirmed place.
        "rsvps": list(
            member_rsvps(user=user).select_related("event__region").order_by("event__start")
        ),
        "signatures": list(
            member_signatures(user=user).select_related("demand").order_by("-created_at")
        ),
        "pledges": list(member_pledges(user=user).select_related("pledge").order_by("-created_at")),
        # Only those answered with the account: anonymous answers lead back to no one.
        "survey_responses": list(
            member_responses(user=user).select_related("survey").order_by("-submitted_at", "-pk")
        ),
        "memberships": [
            {"membership": membership, "can_edit": membership.network_id in editable}
            for membership in memberships
        ],
    }

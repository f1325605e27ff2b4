"""Reads for pledges: the public list and page, who may review, what a member proposed."""

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from networks.models import MembershipRole, NetworkPage

from .models import Pledge, Pledger, PledgeStatus

# What the public may see: a pledge waiting for review, or refused, is shown to no one.
PUBLIC_STATUSES = [PledgeStatus.OPEN, PledgeStatus.BOUND, PledgeStatus.LAPSED]
REVIEW_PERMISSION = "pledges.change_pledge"
NAMED_LIMIT = 50


def can_review(user) -> bool:
    """Hub moderators (the Moderators group holds the permission) and superusers."""
    return bool(user is not None and user.is_active and user.has_perm(REVIEW_PERMISSION))


def with_pledged_counts(pledges: QuerySet) -> QuerySet:
    """`pledges`, each with `pledged_count`: the pledgers who confirmed. A subquery, not a join,
    so that it composes with any other annotation or filter on the pledges."""
    confirmed = (
        Pledger.objects.filter(pledge=OuterRef("pk"), confirmed_at__isnull=False)
        .order_by()
        .values("pledge")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return pledges.annotate(pledged_count=Coalesce(Subquery(confirmed), Value(0)))


def pledges_public():
    """Open pledges first, soonest deadline first; then those that bound, then those that
    lapsed, most recent first."""
    order = Case(
        When(status=PledgeStatus.OPEN, then=Value(0)),
        When(status=PledgeStatus.BOUND, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        with_pledged_counts(Pledge.objects.filter(status__in=PUBLIC_STATUSES))
        .select_related("network")
        .annotate(status_order=order)
        .order_by(
            "status_order",
            Case(When(status=PledgeStatus.OPEN, then=F("deadline"))).asc(nulls_last=True),
            F("bound_at").desc(nulls_last=True),
            F("lapsed_at").desc(nulls_last=True),
            "-pk",
        )
    )


def pledge_for_viewer(*, slug: str, user) -> Pledge | None:
    """A public pledge, or any pledge for a moderator (to review what is pending)."""
    pledges = Pledge.objects.select_related("network")
    if not can_review(user):
        pledges = pledges.filter(status__in=PUBLIC_STATUSES)
    return with_pledged_counts(pledges).filter(slug=slug).first()


def pledge_named(*, pledge: Pledge, limit: int = NAMED_LIMIT) -> list[str]:
    """The names pledgers chose to show, as they gave them: never an address."""
    return list(
        pledge.pledgers.filter(confirmed_at__isnull=False, show_name=True)
        .order_by("confirmed_at", "pk")
        .values_list("name", flat=True)[:limit]
    )


def pledges_proposed_by(*, user):
    return Pledge.objects.filter(created_by=user).order_by("-created_at")


def networks_administered(*, user):
    if user is None or not user.is_authenticated:
        return NetworkPage.objects.none()
    return (
        NetworkPage.objects.live()
        .filter(memberships__user=user, memberships__role=MembershipRole.ADMIN)
        .order_by("title")
    )

from django.urls import reverse
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from campaigns.sections import SECTIONS_HOOK
from hub.dashboard import WAITING_HOOK, WaitingItem

from . import selectors, views
from .admin_views import (
    AmendmentPermissionPolicy,
    AmendmentViewSet,
    DecisionPermissionPolicy,
    DecisionViewSet,
    VotePermissionPolicy,
    VoteViewSet,
)
from .models import Amendment, AmendmentStatus, Decision, Vote

register_permission_policy(Amendment, AmendmentPermissionPolicy(Amendment))
register_permission_policy(Decision, DecisionPermissionPolicy(Decision))
register_permission_policy(Vote, VotePermissionPolicy(Vote))

hooks.register(SECTIONS_HOOK, views.demand_amendments_section)


@hooks.register("register_admin_viewset")
def register_deliberation_viewsets():
    return [AmendmentViewSet(), DecisionViewSet(), VoteViewSet()]


@hooks.register(WAITING_HOOK)
def waiting_amendments(request):
    # Amendments open for support wait for a moderator to put them to the vote.
    if not selectors.can_decide(request.user):
        return None
    return WaitingItem(
        count=Amendment.objects.filter(status=AmendmentStatus.OPEN).count(),
        singular="amendment waiting for a decision",
        plural="amendments waiting for a decision",
        url=reverse("deliberation_amendments:index") + f"?status={AmendmentStatus.OPEN}",
    )

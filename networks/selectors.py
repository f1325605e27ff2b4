"""Reads across the network records, for the pages' routes and for the apps above."""

from .records import Membership, MembershipRole


def network_admin_membership(*, network, user) -> Membership | None:
    if not user.is_authenticated:
        return None
    return network.memberships.filter(user=user, role=MembershipRole.ADMIN).first()

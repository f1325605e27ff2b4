"""The hub's moderators: the "Moderators" group (hub migration 0006) and the superusers."""

from django.contrib.auth import get_user_model
from django.db.models import Q

MODERATORS_GROUP = "Moderators"


def moderator_emails() -> list[str]:
    users = get_user_model().objects.filter(
        Q(groups__name=MODERATORS_GROUP) | Q(is_superuser=True), is_active=True
    )
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))

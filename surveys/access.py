"""Who may read a survey's raw responses (answers, free text, the export): the survey's own
network editors, or for a hub survey the hub's moderators. Nobody else, in any admin view,
chooser, API or export: results are published only as suppressed aggregates."""

from django.db.models import Q

from hub.moderators import MODERATORS_GROUP


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def may_read_raw(user, survey) -> bool:
    if not _active(user):
        return False
    if survey.network_id is None:
        return user.groups.filter(name=MODERATORS_GROUP).exists()
    return user.groups.filter(network_page__pk=survey.network_id).exists()


def surveys_raw_readable(user, surveys):
    """The `surveys` whose raw responses `user` may read."""
    if not _active(user):
        return surveys.none()
    readable = Q(network__editors_group__user=user)
    if user.groups.filter(name=MODERATORS_GROUP).exists():
        readable |= Q(network__isnull=True)
    return surveys.filter(readable).distinct()

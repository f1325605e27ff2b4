from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from hub.search import SEARCH_RECORDS_HOOK, SearchRecord, snippet

from . import selectors
from .admin_views import TargetPermissionPolicy, TargetViewSet
from .models import Target

register_permission_policy(Target, TargetPermissionPolicy(Target))
register_snippet(TargetViewSet)


@hooks.register(SEARCH_RECORDS_HOOK)
def targets_in_site_search(query):
    return [
        SearchRecord(
            kind="Target",
            title=target.name,
            url=target.get_absolute_url(),
            snippet=snippet(target.description),
        )
        for target in selectors.targets_matching(query=query)
    ]

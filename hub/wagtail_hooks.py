from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import DigestRun, Topic


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class TopicViewSet(SnippetViewSet):
    model = Topic
    icon = "tag"
    menu_label = "Topics"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "slug"]


register_snippet(TopicViewSet)


class DigestRunViewSet(SnippetViewSet):
    """Digest runs, read only: the run and its workers write them."""

    model = DigestRun
    icon = "mail"
    menu_label = "Digest runs"
    menu_order = 210
    add_to_admin_menu = True
    list_display = [
        "__str__", "started_at", "finished_at", "recipients", "sent", "skipped_empty", "failed",
    ]  # fmt: skip
    list_filter = ["frequency"]
    inspect_view_enabled = True


register_permission_policy(DigestRun, ReadOnlyPermissionPolicy(DigestRun))
register_snippet(DigestRunViewSet)

from django.urls import reverse
from django.utils.functional import classproperty
from wagtail import hooks
from wagtail.admin.panels import FieldPanel
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.bulk_actions.snippet_bulk_action import SnippetBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from hub.admin_access import (
    ListedOnlyBulkActionMixin,
    ListedSnippetChooserViewSet,
    ReadOnlyPermissionPolicy,
    listed_only_delete_bulk_action,
)
from hub.dashboard import WAITING_HOOK, WaitingItem
from hub.exports import SpreadsheetSafeSnippetIndexView

from . import services
from .admin_views import VersionsViewSetGroup
from .models import DemandVersion, PlatformVersion, Signature


class SignaturePermissionPolicy(ModelPermissionPolicy):
    """Signatures are made only by signing; the admin reviews them but never adds one."""

    def user_has_permission(self, user, action):
        return action != "add" and super().user_has_permission(user, action)


register_permission_policy(Signature, SignaturePermissionPolicy(Signature))
# Versions are recorded by publishing; in the admin, those with the view permission (hub
# moderators, campaigns migration 0006) read them and nobody edits them.
register_permission_policy(DemandVersion, ReadOnlyPermissionPolicy(DemandVersion))
register_permission_policy(PlatformVersion, ReadOnlyPermissionPolicy(PlatformVersion))


@hooks.register("register_admin_viewset")
def register_versions():
    return VersionsViewSetGroup()


class HeldSignatureViewSet(SnippetViewSet):
    """Signatures held by the rate limits, for hub moderators to clear or invalidate.

    The listing shows the email's domain and a hash of the IP, never the address itself.
    """

    model = Signature
    chooser_viewset_class = ListedSnippetChooserViewSet
    icon = "warning"
    menu_label = "Held signatures"
    menu_name = "held-signatures"
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    list_display = ["name", "demand", "email_domain", "ip_hash", "created_at", "confirmed_at"]
    list_filter = ["demand", "created_at"]
    # The address stays out of the export and the inspect view as it does the listing.
    list_export = ["name", "demand", "email_domain", "ip_hash", "created_at", "confirmed_at"]
    export_filename = "held-signatures"
    index_view_class = SpreadsheetSafeSnippetIndexView
    inspect_view_enabled = True
    inspect_view_fields = ["name", "demand", "email_domain", "ip_hash", "created_at",
                           "confirmed_at"]  # fmt: skip
    panels = [FieldPanel("held", read_only=True)]

    def get_queryset(self, request):
        return Signature.objects.filter(held=True).select_related("demand").order_by("created_at")


register_snippet(HeldSignatureViewSet)


@hooks.register(WAITING_HOOK)
def waiting_held_signatures(request):
    # Those who may clear a held signature; its listing asks no less.
    if not (request.user.is_active and request.user.has_perm("campaigns.change_signature")):
        return None
    return WaitingItem(
        count=Signature.objects.filter(held=True).count(),
        singular="held signature waiting",
        plural="held signatures waiting",
        url=reverse(Signature.snippet_viewset.get_url_name("list")),
    )


hooks.register("register_bulk_action", listed_only_delete_bulk_action(Signature), order=1)


class HeldSignatureBulkAction(ListedOnlyBulkActionMixin, SnippetBulkAction):
    template_name = "campaigns/admin/confirm_bulk_held.html"

    @classproperty
    def models(cls):
        return [Signature]

    def check_perm(self, snippet):
        return self.permission_policy.user_has_permission_for_instance(
            self.request.user, "change", snippet
        )

    def get_execution_context(self):
        return {}


@hooks.register("register_bulk_action")
class ClearHeldBulkAction(HeldSignatureBulkAction):
    display_name = "Clear"
    action_type = "clear"
    aria_label = "Clear the selected signatures: they will be counted"
    action_priority = 10

    @classmethod
    def execute_action(cls, objects, **kwargs):
        cleared = services.signatures_clear(signature_ids=[obj.pk for obj in objects])
        return cleared, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} signature(s) cleared and now counted."


@hooks.register("register_bulk_action")
class InvalidateHeldBulkAction(HeldSignatureBulkAction):
    display_name = "Invalidate"
    action_type = "invalidate"
    aria_label = "Invalidate the selected signatures: they are deleted, never counted"
    action_priority = 20
    classes = {"serious"}

    @classmethod
    def execute_action(cls, objects, **kwargs):
        deleted = services.signatures_invalidate(signature_ids=[obj.pk for obj in objects])
        return deleted, 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        return f"{num_parent_objects} signature(s) invalidated and deleted."

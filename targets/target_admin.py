"""The targets' admin: a target with deliveries on record stays (Delivery.target protects it):
its page keeps what it was sent and what it answered."""

from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.shortcuts import redirect
from wagtail.admin.panels import ObjectList
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from hub.admin_access import FoundByPkSnippetChooserViewSet

from .forms import TargetForm
from .models import Delivery, Target


def has_deliveries(target: Target) -> bool:
    # The listing annotates it, so that its rows' delete buttons cost no query each.
    known = getattr(target, "has_deliveries", None)
    return target.deliveries.exists() if known is None else known


class TargetPermissionPolicy(ModelPermissionPolicy):
    """Hub moderators' model permissions (migration 0002), less deleting a delivered-to target:
    so no delete button offers it and a bulk delete leaves it out."""

    def user_has_permission_for_instance(self, user, action, instance):
        if action == "delete" and has_deliveries(instance):
            return False
        return super().user_has_permission_for_instance(user, action, instance)


class TargetDeleteView(DeleteView):
    def get(self, request, *args, **kwargs):
        return self._kept() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._kept() or super().post(request, *args, **kwargs)

    def _kept(self):
        if not has_deliveries(self.object):
            return None
        messages.error(
            self.request,
            f"“{self.object}” has deliveries on record, so it cannot be deleted: its page "
            "keeps what it was sent and what it answered.",
        )
        return redirect(self.edit_url_name, self.object.pk)


class TargetViewSet(SnippetViewSet):
    """The bodies demands are addressed to. Hub moderators keep the list; Wagtail's Editors may
    read it (migration 0002). A demand's editor ticks its targets on the demand itself."""

    model = Target
    chooser_viewset_class = FoundByPkSnippetChooserViewSet
    delete_view_class = TargetDeleteView
    icon = "crosshairs"
    menu_label = "Targets"
    menu_order = 225
    add_to_admin_menu = True
    list_display = ["name", "kind", "slug"]
    list_filter = ["kind"]
    edit_handler = ObjectList(Target.panels, base_form_class=TargetForm)

    def get_queryset(self, request):
        delivered = Delivery.objects.filter(target=OuterRef("pk"))
        return Target.objects.annotate(has_deliveries=Exists(delivered))

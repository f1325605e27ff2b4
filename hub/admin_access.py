"""Snippet choosers and bulk actions that show no more than the snippet's own admin listing,
and only to those who may open it.

Wagtail's snippet choosers list, search and return every row of a model to anyone who may enter
the admin, whatever the viewset's permission policy and `get_queryset` allow; its bulk actions'
confirmation pages name every row asked for by id, those the user may not touch included. For
personal data (signatures, subscribers) that is every network editor."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.functional import classproperty
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)

# Who may open a snippet's listing (Wagtail's IndexView asks the same).
LISTING_PERMISSIONS = ["add", "change", "delete", "view"]


def may_list(user, model) -> bool:
    return policy_registry.get_by_type(model).user_has_any_permission(user, LISTING_PERMISSIONS)


class ListedOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_list(request.user, self.model_class):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def listed(self):
        queryset = self.model_class.snippet_viewset.get_queryset(self.request)
        return self.model_class._default_manager.all() if queryset is None else queryset

    def valid_pks(self, pks) -> list:
        # The ids come from the URL: one that is not an id is not found, not a server error.
        field, valid = self.model_class._meta.pk, []
        for pk in pks:
            try:
                valid.append(field.to_python(pk))
            except ValidationError:
                continue
        return valid


class ListedChooseView(ListedOnlyMixin, ChooseView):
    def get_object_list(self):
        return self.listed()


class ListedChooseResultsView(ListedOnlyMixin, ChooseResultsView):
    def get_object_list(self):
        return self.listed()


class ListedChosenView(ListedOnlyMixin, SnippetChosenView):
    def get_object(self, pk):
        return self.listed().get(pk__in=self.valid_pks([pk]))


class ListedChosenMultipleView(ListedOnlyMixin, SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.listed().filter(pk__in=self.valid_pks(pks))


class ListedSnippetChooserViewSet(SnippetChooserViewSet):
    """For a `SnippetViewSet.chooser_viewset_class`: choose only what the listing shows."""

    choose_view_class = ListedChooseView
    choose_results_view_class = ListedChooseResultsView
    chosen_view_class = ListedChosenView
    chosen_multiple_view_class = ListedChosenMultipleView


class ListedOnlyBulkActionMixin:
    """For a snippet bulk action: refused, rows unnamed, to those who may not open the listing."""

    def dispatch(self, request, *args, **kwargs):
        if not may_list(request.user, self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def listed_only_delete_bulk_action(*models):
    """Wagtail's bulk delete for `models`, refused like their listing. Register it with
    `order=1`, after Wagtail's own (the last registered for a model and action is used)."""

    class ListedOnlyDeleteBulkAction(ListedOnlyBulkActionMixin, DeleteBulkAction):
        @classproperty
        def models(cls):
            return list(models)

    return ListedOnlyDeleteBulkAction

"""Snippet choosers and bulk actions that show no more than the snippet's own admin listing,
and only to those who may open it; page choosers that name no page the user may not see.

Wagtail's snippet choosers list, search and return every row of a model to anyone who may enter
the admin, whatever the viewset's permission policy and `get_queryset` allow; its bulk actions'
confirmation pages name every row asked for by id, those the user may not touch included. For
personal data (signatures, subscribers) that is every network editor. Its page chooser applies
`construct_page_chooser_queryset` to the pages it lists, but not to the page it browses into nor
to the pages it returns as chosen, which it names by any id."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.functional import classproperty
from wagtail.admin.views import chooser
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction as PageDeleteBulkAction,
)
from wagtail.admin.views.pages.bulk_actions import (
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy
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
        return valid_pks(self.model_class, pks)


def valid_pks(model, pks) -> list:
    # The ids come from the URL: one that is not an id is not found, not a server error.
    field, valid = model._meta.pk, []
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


class FoundByPkChosenView(SnippetChosenView):
    def get_object(self, pk):
        return self.model_class._default_manager.get(pk__in=valid_pks(self.model_class, [pk]))


class FoundByPkChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return self.model_class._default_manager.filter(pk__in=valid_pks(self.model_class, pks))


class FoundByPkSnippetChooserViewSet(SnippetChooserViewSet):
    """For a `SnippetViewSet.chooser_viewset_class`: an id that is not one is not found."""

    chosen_view_class = FoundByPkChosenView
    chosen_multiple_view_class = FoundByPkChosenMultipleView


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


# Any page permission makes a page the user's own, as it does in Wagtail's explorer.
OWN_PAGE_ACTIONS = {"add", "change", "publish", "lock", "unlock", "bulk_delete"}


def pages_public_or_own(pages, user):
    """Anyone may link to a live public page; a draft or private page only its own editors
    (hub moderators and superusers hold every page) may see, by its title."""
    own = PagePermissionPolicy().instances_user_has_any_permission_for(user, OWN_PAGE_ACTIONS)
    return pages.filter(
        Q(pk__in=Page.objects.live().public().values("pk")) | Q(pk__in=own.values("pk"))
    )


class PublicOrOwnBrowseView(chooser.BrowseView):
    """Browses only into a page the user may see: Wagtail names the page browsed into."""

    def get_object_list(self):
        parent = Page.objects.filter(pk=self.parent_page.pk)
        if not pages_public_or_own(parent, self.request.user).exists():
            raise Http404
        return super().get_object_list()


class PublicOrOwnChosenMultipleView(chooser.ChosenMultipleView):
    def get(self, request):
        pks = valid_pks(Page, request.GET.getlist("id"))
        pages = pages_public_or_own(Page.objects.filter(pk__in=pks), request.user).specific()
        result = [
            {
                "id": page.pk,
                # The root page has no parent (Wagtail's own view fails on it).
                "parentId": page.get_parent().pk if not page.is_root() else None,
                "adminTitle": page.get_admin_display_title(),
                "editUrl": reverse("wagtailadmin_pages:edit", args=(page.pk,)),
                "url": page.url,
            }
            for page in pages
        ]
        return self.render_chosen_response(result)


def visible_pks(pages, user) -> set:
    pks = [page.pk for page in pages]
    return set(
        pages_public_or_own(Page.objects.filter(pk__in=pks), user).values_list("pk", flat=True)
    )


class NamesOnlyVisiblePagesMixin:
    """For a page bulk action: the pages the user may not act on are named only if they may see
    them (Wagtail names every page asked for by id)."""

    def get_actionable_objects(self):
        objects, context = super().get_actionable_objects()
        refused = context["items_with_no_access"]
        visible = visible_pks(refused, self.request.user)
        return objects, {"items_with_no_access": [page for page in refused if page.pk in visible]}


PAGE_BULK_ACTIONS = [
    type(action.__name__, (NamesOnlyVisiblePagesMixin, action), {})
    for action in [PageDeleteBulkAction, MoveBulkAction, PublishBulkAction, UnpublishBulkAction]
]


class PublicOrOwnPageTypesUsageReportView(PageTypesUsageReportView):
    """Names a type's last edited page only if the user may see it."""

    def decorate_paginated_queryset(self, page_types):
        page_types = super().decorate_paginated_queryset(page_types)
        edited = [item.last_edited_page for item in page_types if item.last_edited_page]
        visible = visible_pks(edited, self.request.user)
        for item in page_types:
            if item.last_edited_page and item.last_edited_page.pk not in visible:
                item.last_edited_page = None
        return page_types


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


class PersonalDataPermissionPolicy(ReadOnlyPermissionPolicy):
    """Read only, for those who may see signers' addresses (hub moderators): the same people
    may see other personal data (subscribers, undelivered email)."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.has_perm("campaigns.view_signature")

"""The read-only public API at /api/v2/ (Wagtail API v2): live, public pages and counts only.

Each endpoint declares every field it shows; nothing about people is among them. Filters are
validated by a form, so a bad value is a 400, never a database error."""

from django import forms
from rest_framework import serializers
from rest_framework.filters import BaseFilterBackend
from rest_framework.renderers import JSONRenderer
from wagtail.api.v2.filters import OrderingFilter, SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet


class FilterFormBackend(BaseFilterBackend):
    def filter_queryset(self, request, queryset, view):
        form = view.filter_form_class(request.GET)
        if form.is_bound and not form.is_valid():
            raise BadRequestError(
                "; ".join(f"{name}: {' '.join(errors)}" for name, errors in form.errors.items())
            )
        return view.filter_by(queryset, form)


def refuse_nul(request):
    # PostgreSQL refuses NUL in text, and Wagtail's search and ?html_path= pass it straight on.
    if any("\x00" in value for _name, values in request.GET.lists() for value in values):
        raise BadRequestError("query parameters cannot contain NUL characters")


class PublicAPIMixin:
    """An endpoint that takes Wagtail's own query parameters and its filter form's, refuses
    NUL in any of them, and answers a ?id= that is not a number with a 400."""

    renderer_classes = [JSONRenderer]
    filter_form_class = forms.Form

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.known_query_parameters = BaseAPIViewSet.known_query_parameters.union(
            cls.filter_form_class.base_fields
        )

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        refuse_nul(self.request)

    def find_object(self, queryset, request):
        # Wagtail's own lookup lets a non-numeric ?id= reach the database as a 500.
        refuse_nul(request)
        if "id" in request.GET and not request.GET["id"].isdigit():
            raise BadRequestError("id must be a number")
        return super().find_object(queryset, request)


class PublicPagesAPIViewSet(PublicAPIMixin, PagesAPIViewSet):
    """One page type, live and public, with the fields and filters a subclass names."""

    # No tree filters or ?type=: an endpoint shows its own page type and nothing else.
    filter_backends = [FilterFormBackend, OrderingFilter, SearchFilter]
    detail_only_fields = []

    def get_queryset(self):
        return self.model.objects.live().public()

    def filter_by(self, queryset, form):
        return queryset


class PublicRecordsAPIViewSet(PublicAPIMixin, BaseAPIViewSet):
    """Records (not pages) with the fields a subclass names, filtered by a form; a form's
    `demand` (a page id) keeps the records of that demand."""

    filter_backends = [FilterFormBackend, OrderingFilter]

    def filter_by(self, queryset, form):
        filters = form.cleaned_data
        if filters.get("demand"):
            queryset = queryset.filter(demand_id=filters["demand"])
        return queryset


class RelatedPageField(serializers.Field):
    """A related page as id, title and slug, without following it into its own fields."""

    def to_representation(self, value):
        return {"id": value.pk, "title": value.title, "slug": value.slug}


def slug():
    return serializers.SlugRelatedField(read_only=True, slug_field="slug")


def slugs():
    return serializers.SlugRelatedField(many=True, read_only=True, slug_field="slug")


def count(**kwargs):
    return serializers.IntegerField(read_only=True, **kwargs)

"""The read-only public API at /api/v2/ (Wagtail API v2): live, public pages and counts only.

Each endpoint declares every field it shows; nothing about people is among them. Filters are
validated by a form, so a bad value is a 400, never a database error."""

from django import forms
from django.db.models import Case, IntegerField, Value, When
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


class ValidatedQueryMixin:
    """Query parameters checked before anything reaches the database: the filter form's fields
    are the only ones known beyond Wagtail's own, NUL is refused, and ?id= must be a number."""

    filter_form_class = forms.Form

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.known_query_parameters = BaseAPIViewSet.known_query_parameters.union(
            cls.filter_form_class.base_fields
        )

    def check_query_parameters(self, queryset):
        super().check_query_parameters(queryset)
        refuse_nul(self.request)

    def filter_by(self, queryset, form):
        return queryset

    def find_object(self, queryset, request):
        # Wagtail's own lookup lets a non-numeric ?id= reach the database as a 500.
        refuse_nul(request)
        if "id" in request.GET and not request.GET["id"].isdigit():
            raise BadRequestError("id must be a number")
        return super().find_object(queryset, request)


class MatchesFilter(SearchFilter):
    """?search= over the endpoint's live pages, then the filtered list narrowed to the matches.

    Searching the filtered list itself fails whenever a filter names a field the search index
    does not hold (the events finder's networks, topics and access features), so every search
    with a filter was a 400."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        matches = super().filter_queryset(request, view.model.objects.live().public(), view)
        pks = [match.pk for match in matches]
        narrowed = queryset.filter(pk__in=pks)
        if "order" in request.GET:
            return narrowed
        # Without ?order=, the best match first, as Wagtail's own search answers.
        rank = Case(
            *(When(pk=pk, then=Value(place)) for place, pk in enumerate(pks)),
            output_field=IntegerField(),
        )
        return narrowed.order_by(rank) if pks else narrowed


class PublicPagesAPIViewSet(ValidatedQueryMixin, PagesAPIViewSet):
    """One page type, live and public, with the fields and filters a subclass names."""

    renderer_classes = [JSONRenderer]
    # No tree filters or ?type=: an endpoint shows its own page type and nothing else.
    filter_backends = [FilterFormBackend, OrderingFilter, MatchesFilter]
    detail_only_fields = []

    def get_queryset(self):
        return self.model.objects.live().public()


class PublicRecordsAPIViewSet(ValidatedQueryMixin, BaseAPIViewSet):
    """Records (not pages) with the fields a subclass names, filtered by a form."""

    renderer_classes = [JSONRenderer]
    filter_backends = [FilterFormBackend, OrderingFilter]


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

"""Reads for the surveys shown outside their own pages: the digest, topic pages and the member's
home. Each reads its surveys with their response counts in one query, however many surveys and
responses there are; nothing about a response is read but the count."""

from django.db.models import Count, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import PooledResultsPage, Response, SurveyPage


def with_response_counts(surveys: QuerySet) -> QuerySet:
    """`surveys`, each with `response_count`. Show it through `shown_count`, never bare: a count
    below the survey's smallest number shown is itself a small number."""
    counted = (
        Response.objects.filter(survey=OuterRef("pk"))
        .order_by()
        .values("survey")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return surveys.annotate(response_count=Coalesce(Subquery(counted), Value(0)))


def shown_count(*, count: int, min_cell_size: int) -> str:
    """A response count as it may be published."""
    return f"fewer than {min_cell_size}" if count < min_cell_size else str(count)


def public_surveys() -> QuerySet:
    """Live surveys a visitor may see. Wagtail reads the view restrictions when this is built:
    build it once and narrow it (open_surveys, published_results) for several lists."""
    return SurveyPage.objects.live().public()


def open_surveys(surveys: QuerySet | None = None, *, now=None) -> QuerySet:
    """Surveys people can answer now, those closing soonest first."""
    surveys = public_surveys() if surveys is None else surveys
    return with_response_counts(surveys.open_at(now or timezone.now())).order_by("closes_at", "pk")


def published_results(surveys: QuerySet | None = None, *, now=None) -> QuerySet:
    """Surveys whose results are published, the latest to close first."""
    surveys = public_surveys() if surveys is None else surveys
    return with_response_counts(surveys.results_published(now or timezone.now())).order_by(
        "-closes_at", "-pk"
    )


def pooled_results() -> QuerySet:
    return PooledResultsPage.objects.live().public().order_by("-first_published_at", "-pk")

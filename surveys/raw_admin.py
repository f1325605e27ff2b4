"""A survey's raw responses in the admin: each response with its answers, free text included,
and their export as CSV, every export logged (RawExportLog). Only for those who may read them
(surveys.access.may_read_raw); anyone else finds no such page.

Deliberately not a snippet or model viewset: responses, answers and the export log must not be
listed, searched or chosen anywhere else in the admin.
"""

import io

from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from hub.exports import SpreadsheetSafeWriter, local_minutes
from hub.regions import REGIONS
from hub.roles import Role

from .access import may_read_raw
from .models import Answer, RawExportLog, Response, SurveyPage

PER_PAGE = 50
RECENT_EXPORTS = 10


def readable_survey(request, page_id: int) -> SurveyPage:
    """The survey, if the user may read its raw responses: otherwise not found, so that its
    responses' existence tells nothing either."""
    survey = get_object_or_404(SurveyPage, pk=page_id)
    if not may_read_raw(request.user, survey):
        raise Http404
    return survey


class RawTable:
    """A survey's questions as columns, and its responses as rows of answer labels."""

    def __init__(self, survey: SurveyPage):
        self.questions = list(survey.questions.order_by("sort_order", "pk"))
        self.labels = {q.pk: dict(q.categories()) for q in self.questions}
        self.region_labels = {slug: name for _, slug, name in REGIONS}
        self.role_labels = dict(Role.choices)

    def answer_text(self, answer: Answer) -> str:
        if answer.text:
            return answer.text
        label = self.labels.get(answer.question_id, {}).get(answer.value, answer.value)
        return f"{answer.number} ({label})" if answer.number is not None else label

    def rows(self, responses) -> list[dict]:
        """Each response with its answers in the questions' order, in one query for all
        the answers of `responses`."""
        responses = list(responses)
        by_response: dict[int, dict[int, list[str]]] = {}
        answers = Answer.objects.filter(response__in=[r.pk for r in responses]).order_by("pk")
        for answer in answers:
            cells = by_response.setdefault(answer.response_id, {})
            cells.setdefault(answer.question_id, []).append(self.answer_text(answer))
        return [
            {
                "response": response,
                "role": self.role_labels.get(response.role, response.role),
                "region": self.region_labels.get(response.region, response.region),
                "answers": [
                    "; ".join(by_response.get(response.pk, {}).get(q.pk, []))
                    for q in self.questions
                ],
            }
            for response in responses
        ]


class RawResponsesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "surveys/admin/raw_responses.html"
    page_title = "Responses"
    header_icon = "list-ul"

    def dispatch(self, request, *args, **kwargs):
        self.survey = readable_survey(request, kwargs["page_id"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.survey.title

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.survey.pk]),
                "label": self.survey.title,
            },
            {"url": "", "label": "Responses"},
        ]

    def get_context_data(self, **kwargs):
        table = RawTable(self.survey)
        responses = Response.objects.filter(survey=self.survey).order_by("submitted_at", "pk")
        page = Paginator(responses, PER_PAGE).get_page(self.request.GET.get("p"))
        return {
            **super().get_context_data(**kwargs),
            "survey": self.survey,
            "questions": table.questions,
            "rows": table.rows(page.object_list),
            "page_obj": page,
            "exports": RawExportLog.objects.filter(survey=self.survey).select_related("user")[
                :RECENT_EXPORTS
            ],
            "export_url": reverse("surveys_raw_export", args=[self.survey.pk]),
        }


@require_POST
def raw_responses_export(request, page_id):
    """Every response as a CSV row; the export is logged in the same transaction, so no export
    goes unrecorded."""
    survey = readable_survey(request, page_id)
    table = RawTable(survey)
    with transaction.atomic():
        rows = table.rows(Response.objects.filter(survey=survey).order_by("submitted_at", "pk"))
        RawExportLog.objects.create(
            survey=survey, user=request.user, exported_at=timezone.now(), rows=len(rows)
        )
    stream = io.StringIO()
    writer = SpreadsheetSafeWriter(stream)
    writer.writerow(["Answered", "Role", "Region", *[q.prompt for q in table.questions]])
    for row in rows:
        writer.writerow([
            local_minutes(row["response"].submitted_at), row["role"], row["region"],
            *row["answers"],
        ])  # fmt: skip
    filename = f"{survey.slug}-raw-responses-{timezone.localdate():%Y-%m-%d}.csv"
    response = HttpResponse(stream.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@hooks.register("register_admin_urls")
def register_raw_responses_urls():
    return [
        path(
            "surveys/<int:page_id>/responses/",
            RawResponsesView.as_view(),
            name="surveys_raw_index",
        ),
        path(
            "surveys/<int:page_id>/responses/export/",
            raw_responses_export,
            name="surveys_raw_export",
        ),
    ]


@hooks.register("register_page_header_buttons")
def raw_responses_header_button(page, user, view_name, next_url=None):
    if page.specific_class is SurveyPage and may_read_raw(user, page.specific):
        yield Button(
            "Responses",
            reverse("surveys_raw_index", args=[page.pk]),
            icon_name="list-ul",
            priority=5,
        )

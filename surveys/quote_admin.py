"""Picking quotes: a survey's free-text answers in the admin, each with "Show as a quote" (a
PublishedQuote, its text copied so it outlives the answer) or "Remove". Only those who may read
the survey's raw responses (surveys.access) reach it; any other editor is refused with a 403."""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button

from .access import may_read_raw
from .models import Answer, PublishedQuote, SurveyPage
from .questions import QuestionKind

URL_NAME = "survey_quotes"


class QuoteForm(forms.Form):
    action = forms.ChoiceField(choices=[("show", "Show as a quote"), ("remove", "Remove")])
    answer = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    quote = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class QuotesView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "surveys/admin/quotes.html"
    header_icon = "openquote"

    def dispatch(self, request, *args, **kwargs):
        self.survey = get_object_or_404(SurveyPage, pk=kwargs["page_id"])
        if not may_read_raw(request.user, self.survey):
            # A 403 of our own: Wagtail would turn PermissionDenied into a redirect home.
            return HttpResponseForbidden("Only the survey's own editors may read its answers.")
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"Quotes: {self.survey.title}"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.survey.pk]),
                "label": self.survey.title,
            },
            {"url": "", "label": "Quotes"},
        ]

    def get_context_data(self, **kwargs):
        quotes = list(self.survey.quotes.select_related("question"))
        picked = {quote.answer_id for quote in quotes}
        answers = (
            Answer.objects.filter(response__survey=self.survey, question__kind=QuestionKind.TEXT)
            .exclude(text="")
            .select_related("question")
            .order_by("question__sort_order", "pk")
        )
        return super().get_context_data(
            survey=self.survey,
            quotes=quotes,
            answers=[(answer, answer.pk in picked) for answer in answers],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = QuoteForm(request.POST)
        if not form.is_valid():
            return self._refused("That was not a quote to show or remove.")
        data = form.cleaned_data
        if data["action"] == "show":
            answer = (
                Answer.objects.filter(
                    pk=data["answer"],
                    response__survey=self.survey,
                    question__kind=QuestionKind.TEXT,
                )
                .select_related("question")
                .first()
            )
            if answer is None or not answer.text:
                raise Http404("No such answer to this survey.")
            _, made = PublishedQuote.objects.get_or_create(
                answer=answer,
                defaults={
                    "survey": self.survey,
                    "question": answer.question,
                    "text": answer.text,
                    "picked_by": request.user,
                },
            )
            messages.success(request, "Shown with the results." if made else "Already shown.")
        else:
            deleted, _ = PublishedQuote.objects.filter(
                survey=self.survey, pk=data["quote"]
            ).delete()
            if not deleted:
                raise Http404("No such quote of this survey.")
            messages.success(request, "Removed from the results.")
        return redirect(URL_NAME, page_id=self.survey.pk)

    def _refused(self, message):
        messages.error(self.request, message)
        response = self.get(self.request)
        response.status_code = 400
        return response


def urls():
    return [path("surveys/<int:page_id>/quotes/", QuotesView.as_view(), name=URL_NAME)]


def quotes_button(page, user, view_name, next_url=None):
    """ "Pick quotes" on a survey's edit page, for those who may read its answers."""
    if issubclass(page.specific_class or type(page), SurveyPage) and may_read_raw(
        user, page.specific
    ):
        url = reverse(URL_NAME, kwargs={"page_id": page.pk})
        yield Button("Pick quotes", url=url, icon_name="openquote", priority=85)

"""Answering a survey: the page's own URL (GET shows the questions, POST stores a response)."""

from django.http import Http404


def survey_answer(request, survey):
    """The survey page: its introduction, consent and questions while open; otherwise when it
    opens, or that it has closed (with a link to results once published)."""
    raise Http404("Answering is being built (issue 18).")

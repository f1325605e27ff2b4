"""What is published from the answers: results pages, their CSV and charts (SVG or PNG), for one
survey and for pooled results. Every figure comes from surveys.results, suppressed."""

from django.http import Http404


def survey_results(request, survey):
    raise Http404("Results are being built (issue 18).")


def survey_results_csv(request, survey):
    raise Http404("Results are being built (issue 18).")


def survey_chart(request, survey, question_id: int, image_format: str):
    raise Http404("Results are being built (issue 18).")


def pooled_results(request, page):
    raise Http404("Pooled results are being built (issue 18).")


def pooled_results_csv(request, page):
    raise Http404("Pooled results are being built (issue 18).")


def pooled_chart(request, page, bank_slug: str, image_format: str):
    raise Http404("Pooled results are being built (issue 18).")

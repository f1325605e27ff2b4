"""What is published from the answers: results pages, their CSV and charts (SVG or PNG), for one
survey and for pooled results. Every figure comes from surveys.results, suppressed; free text
never appears, only the quotes an editor picked (PublishedQuote).

Results show only once the survey has closed, as well as being published: while answers still
arrive, two visits a response apart would tell what that response said."""

import csv
from collections import defaultdict

from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from hub.cache import cached
from hub.pagecache import allow
from hub.subpages import subpage_url

from . import charts, pooling, tallies
from .results import csv_rows, hidden_key

CHART_FORMATS = ("svg", "png")
CSV_HEADER = ["question", "breakdown", "group", "category", "count"]


def results_visible(survey, moment=None) -> bool:
    return survey.publish_results and survey.closes_at <= (moment or timezone.now())


def results_for(survey) -> tallies.SurveyResults:
    """The survey's suppressed results, cached for the content version (a closed survey's
    results change only when its page does, or when retention deletes its answers, which the
    cache's timeout catches)."""
    return cached(f"survey-results:{survey.pk}", lambda: tallies.survey_results(survey))


def _unavailable(request, survey):
    return TemplateResponse(
        request,
        "surveys/results_unavailable.html",
        {"page": survey, "survey": survey, "published": survey.publish_results},
        status=404,
    )


def _chart_urls(page, request, name: str, **kwargs) -> dict:
    return {
        fmt: subpage_url(page, name, request=request, image_format=fmt, **kwargs)
        for fmt in CHART_FORMATS
    }


def survey_results(request, survey):
    if not results_visible(survey):
        return _unavailable(request, survey)
    results = results_for(survey)
    quotes = defaultdict(list)
    for quote in survey.quotes.only("text", "question_id"):
        quotes[quote.question_id].append(quote.text)
    counted = {result.question_id: result for result in results.questions}
    # Each counted question with its chart and tables, and each written-answer question whose
    # answers an editor quoted, in the survey's order; quotes under the question they answer.
    sections = []
    for question_id, prompt, _ in results.order:
        result = counted.get(question_id)
        if result is None:
            if quotes.get(question_id):
                sections.append({"prompt": prompt, "quotes": quotes[question_id]})
            continue
        caption_id = f"chart-{question_id}"
        sections.append(
            {
                "result": result,
                "rows": result.rows(),
                "svg": mark_safe(  # noqa: S308 - built by surveys.charts, every text escaped
                    charts.svg(
                        charts.bars(result.rows()), title=result.prompt, caption_id=caption_id
                    )
                ),
                "caption_id": caption_id,
                "chart_urls": _chart_urls(
                    survey, request, "results_chart", question_id=question_id
                ),
                "quotes": quotes.get(question_id, []),
            }
        )
    context = {
        "page": survey,
        "survey": survey,
        "results": results,
        "questions": sections,
        "hidden_key": hidden_key(results.min_size),
        "csv_url": subpage_url(survey, "results_csv", request=request),
        # A quote whose question has since been removed from the survey.
        "unplaced_quotes": quotes.get(None, []),
    }
    return allow(TemplateResponse(request, "surveys/results.html", context))


def _csv_response(filename: str, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    return response


def survey_results_csv(request, survey):
    if not results_visible(survey):
        raise Http404("These results are not published.")
    results = results_for(survey)
    rows = [row for result in results.questions for row in csv_rows(result)]
    if not results.shown:
        rows = []
    return allow(_csv_response(f"{survey.slug}-results.csv", rows))


def _chart_response(items, *, title: str, key: str, image_format: str, name: str):
    disposition = f'inline; filename="{slugify(name)[:60]}.{image_format}"'
    if image_format == "png":
        # Not for the page cache, which keeps text; the figures themselves are cached.
        response = HttpResponse(charts.png(items, title=title, note=key), content_type="image/png")
        response["Content-Disposition"] = disposition
        return response
    body = charts.svg(items, title=title, caption_id="title", standalone=True)
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = disposition
    return allow(response)


def survey_chart(request, survey, question_id: int, image_format: str):
    if image_format not in CHART_FORMATS or not results_visible(survey):
        raise Http404("No such chart.")
    results = results_for(survey)
    result = results.question(question_id) if results.shown else None
    if result is None or not result.shown:
        raise Http404("No such chart.")
    return _chart_response(
        charts.bars(result.rows()),
        title=result.prompt,
        key=hidden_key(result.min_size),
        image_format=image_format,
        name=f"{survey.slug}-{question_id}",
    )


def pooled_results(request, page):
    pooled = pooling.pooled_results_for(page)
    questions = [
        {
            "result": result,
            "rows": result.rows(),
            "svg": mark_safe(  # noqa: S308 - built by surveys.charts, every text escaped
                charts.svg(
                    charts.bars(result.rows()),
                    title=result.prompt,
                    caption_id=f"chart-{slug}",
                )
            ),
            "caption_id": f"chart-{slug}",
            "chart_urls": _chart_urls(page, request, "results_chart", bank_slug=slug),
        }
        for slug, result in pooled.questions
    ]
    context = {
        "page": page,
        "pooled": pooled,
        "questions": questions,
        "hidden_key": hidden_key(pooled.min_size),
        "csv_url": subpage_url(page, "results_csv", request=request),
    }
    return allow(TemplateResponse(request, "surveys/pooled_results_page.html", context))


def pooled_results_csv(request, page):
    pooled = pooling.pooled_results_for(page)
    rows = [row for _, result in pooled.questions for row in csv_rows(result)]
    return allow(_csv_response(f"{page.slug}-results.csv", rows))


def pooled_chart(request, page, bank_slug: str, image_format: str):
    if image_format not in CHART_FORMATS:
        raise Http404("No such chart.")
    pooled = pooling.pooled_results_for(page)
    found = next((result for slug, result in pooled.questions if slug == bank_slug), None)
    if found is None or not found.shown:
        raise Http404("No such chart.")
    return _chart_response(
        charts.bars(found.rows()),
        title=found.prompt,
        key=hidden_key(found.min_size),
        image_format=image_format,
        name=f"{page.slug}-{bank_slug}",
    )

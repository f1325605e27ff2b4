"""Answering a survey: the page's own URL (GET shows the questions, POST stores a response).

Anonymous surveys keep nothing about the person: "already answered" lives in their session,
and the rate limit counts a keyed hash of their IP in the cache only."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone

from hub.ratelimit import client_ip, ip_hash, rate_limits_hit
from hub.subpages import subpage_url

from .forms import SurveyForm, initial_from

SESSION_KEY = "surveys_answered"
# Per IP and survey: enough for a household or an office sharing one address.
ANSWER_LIMITS = [("survey-answer-10m", 5, 10 * 60), ("survey-answer-day", 30, 24 * 60 * 60)]


def answered_in_session(request, survey) -> bool:
    return survey.pk in request.session.get(SESSION_KEY, [])


def _remember_answered(request, survey) -> None:
    answered = request.session.get(SESSION_KEY, [])
    if survey.pk not in answered:
        request.session[SESSION_KEY] = [*answered, survey.pk]


def _rate_limited(request, survey) -> bool:
    key = f"{survey.pk}:{ip_hash(client_ip(request)) or 'no-ip'}"
    return rate_limits_hit(limits=ANSWER_LIMITS, key=key)


def _render(request, survey, state: str, *, status=200, **extra):
    context = survey.get_context(request)
    context.update(
        state=state,
        results_url=subpage_url(survey, "results", request=request)
        if survey.publish_results
        else None,
        **extra,
    )
    return TemplateResponse(request, "surveys/survey_page.html", context, status=status)


def _own_response(request, survey):
    # The models module imports this one, so its models are reached through the survey.
    if not (survey.needs_account and request.user.is_authenticated):
        return None
    return survey.responses.filter(user=request.user).prefetch_related("answers").first()


def survey_answer(request, survey):
    """The survey page: its introduction, consent and questions while open; otherwise when it
    opens, or that it has closed (with a link to results once published)."""
    now = timezone.now()
    posted = request.method == "POST"
    if now < survey.opens_at:
        return _render(request, survey, "upcoming", status=409 if posted else 200)
    if now >= survey.closes_at:
        return _render(
            request,
            survey,
            "closed",
            status=409 if posted else 200,
            own=_own_response(request, survey),
        )
    if survey.needs_account and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not survey.needs_account and answered_in_session(request, survey):
        return _render(request, survey, "answered", status=409 if posted else 200)

    own = _own_response(request, survey)
    questions = survey.questions.all()
    if not posted:
        initial = initial_from(own) if own else None
        form = SurveyForm(survey=survey, questions=questions, initial=initial)
        return _render(request, survey, "open", form=form, own=own)

    if not survey.needs_account and _rate_limited(request, survey):
        return TemplateResponse(
            request, "surveys/answer_rate_limited.html", {"page": survey}, status=429
        )
    form = SurveyForm(request.POST, survey=survey, questions=questions)
    if not form.is_valid():
        return _render(request, survey, "open", status=400, form=form, own=own)

    from . import services

    updated = own is not None
    if not form.is_spam:
        user = request.user if survey.needs_account else None
        try:
            submitted = services.response_submit(survey=survey, cleaned=form.answers(), user=user)
        except services.SurveyNotOpenError:
            return _render(request, survey, "closed", status=409)
        except ValidationError as error:
            form.add_error(None, error)
            return _render(request, survey, "open", status=400, form=form, own=own)
        updated = not submitted.created
    if not survey.needs_account:
        # Spam is answered as if accepted, session and all, so a bot learns nothing.
        _remember_answered(request, survey)
    return TemplateResponse(
        request,
        "surveys/answer_thanks.html",
        {"page": survey, "self": survey, "updated": updated},
    )

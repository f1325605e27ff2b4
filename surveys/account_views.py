"""A member deletes their answers to a survey from their account: a page that asks, then a
POST that deletes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from . import rights


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def response_delete(request, response_id):
    # Only the member's own responses: any other id is not found, whoever's it is.
    response = get_object_or_404(
        rights.member_responses(user=request.user).select_related("survey"), pk=response_id
    )
    if request.method == "POST":
        title = response.survey.title
        rights.member_response_delete(response=response)
        messages.success(request, f"Your answers to “{title}” are deleted.")
        return redirect(reverse("home:index") + "#surveys")
    return TemplateResponse(request, "surveys/account_response_delete.html", {"response": response})

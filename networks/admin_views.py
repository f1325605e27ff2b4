"""Hub moderators' review of network applications, in the Wagtail admin."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import RejectionForm
from .models import ApplicationStatus, NetworkApplication

MODERATE_PERMISSION = "networks.change_networkapplication"
APPLICATIONS_PAGE_SIZE = 25


def can_moderate(user) -> bool:
    return user.has_perm(MODERATE_PERMISSION)


def moderators_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not can_moderate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@moderators_only
def application_index(request):
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.PENDING
    applications = NetworkApplication.objects.filter(status=status).select_related("applicant")
    page_obj = Paginator(applications, APPLICATIONS_PAGE_SIZE).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "networks/admin/application_index.html",
        {
            "applications": page_obj,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "header_icon": "group",
            "page_title": "Network applications",
        },
    )


def _detail(request, application, *, rejection_form=None, status=200):
    return TemplateResponse(
        request,
        "networks/admin/application_detail.html",
        {
            "application": application,
            "regions": application.regions.all(),
            "topics": application.topics.all(),
            "rejection_form": rejection_form or RejectionForm(),
            "header_icon": "group",
            "page_title": f"Application: {application.name}",
        },
        status=status,
    )


@require_GET
@moderators_only
def application_detail(request, pk):
    application = get_object_or_404(NetworkApplication.objects.select_related("applicant"), pk=pk)
    return _detail(request, application)


@require_POST
@moderators_only
def application_approve(request, pk):
    application = get_object_or_404(NetworkApplication, pk=pk)
    try:
        network = services.network_approve(application=application, moderator=request.user)
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return _detail(request, application, status=409)
    messages.success(request, f"{network.title} is approved and its page is live.")
    return redirect("networks_admin:application_index")


@require_POST
@moderators_only
def application_reject(request, pk):
    application = get_object_or_404(NetworkApplication, pk=pk)
    form = RejectionForm(request.POST)
    if not form.is_valid():
        return _detail(request, application, rejection_form=form, status=400)
    try:
        services.network_reject(
            application=application, moderator=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
        return _detail(request, application, rejection_form=form, status=409)
    messages.success(request, f"{application.name} is rejected; the applicant has been emailed.")
    return redirect("networks_admin:application_index")

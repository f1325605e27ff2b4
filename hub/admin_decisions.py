"""Moderators' inspect view of a record they approve or reject (a network's application, a
proposed pledge): the record in full and, while it is pending, the forms that decide it, which
post to the approve and reject views. A decision someone else made first is refused with a 409."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse
from wagtail.admin.views.generic import InspectView


class DecisionInspectView(InspectView):
    """`pending_status` is the status a decision is still to be made in; `rejection_form_class`
    takes the reason sent with a rejection; `paragraphs` are the text fields shown as
    paragraphs."""

    approve_url_name = None
    reject_url_name = None
    rejection_form = None
    rejection_form_class = None
    pending_status = None
    paragraphs = frozenset()

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        if field_name in self.paragraphs and value:
            return linebreaks_filter(value)
        return value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.status == self.pending_status:
            context["approve_url"] = reverse(self.approve_url_name, args=[self.object.pk])
            context["reject_url"] = reverse(self.reject_url_name, args=[self.object.pk])
            context["rejection_form"] = self.rejection_form or self.rejection_form_class()
        return context

    def refuse(self, error: ValidationError, *, status: int = 409):
        messages.error(self.request, "; ".join(error.messages))
        return self.render_to_response(self.get_context_data(), status=status)


class ApproveMixin:
    """Before a DecisionInspectView: `approve()` decides, and returns what to tell the
    moderator, or raises ValidationError."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            done = self.approve()
        except ValidationError as error:
            return self.refuse(error)
        messages.success(request, done)
        return redirect(self.index_url_name)


class RejectMixin:
    """Before a DecisionInspectView: `reject(cleaned_data)` decides with the rejection form's
    data, and returns what to tell the moderator, or raises ValidationError."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = self.rejection_form = self.rejection_form_class(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        try:
            done = self.reject(form.cleaned_data)
        except ValidationError as error:
            return self.refuse(error)
        messages.success(request, done)
        return redirect(self.index_url_name)

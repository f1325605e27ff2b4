"""Deliveries and the targets' responses in the Wagtail admin, for hub moderators only (their
group holds the model permissions, targets migration 0002; nobody else holds any, so every URL
here refuses a network editor).

A delivery is recorded for one demand: "Record a delivery" first asks which (or comes from the
demand's own edit page), then offers its targets, its current count and its co-signing networks.
A response is recorded from its delivery. Both go through targets.services, which the tests
share; a refusal there is shown on the form with a 400, never a 500."""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets import HeaderButton
from wagtail.documents.widgets import AdminDocumentChooser

from campaigns.models import DemandPage
from campaigns.records import NetworkCoSignature
from campaigns.selectors import demand_count
from networks.models import NetworkPage

from . import services
from .models import Delivery, Target, TargetResponse


def _query_id(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None


class RefusalShownMixin:
    """A service's ValidationError goes on the form, with a 400."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


# The browser's own date picker, which reads and writes ISO dates.
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


# --- Deliveries -----------------------------------------------------------------------------
class DeliveryForm(WagtailAdminModelForm):
    class Meta:
        model = Delivery
        fields = [
            "demand", "target", "delivered_on", "method", "signature_count", "networks",
            "document", "note", "response_due",
        ]  # fmt: skip
        widgets = {
            "demand": forms.HiddenInput,
            "networks": forms.CheckboxSelectMultiple,
            "delivered_on": DATE,
            "response_due": DATE,
            "document": AdminDocumentChooser,
        }
        help_texts = {
            "response_due": "Leave empty for 20 working days after the delivery (weekends and "
            "bank holidays skipped).",
        }

    def __init__(self, *args, demand=None, **kwargs):
        super().__init__(*args, **kwargs)
        demand = demand or getattr(self.instance, "demand", None)
        self.fields["demand"].queryset = DemandPage.objects.filter(pk=demand.pk)
        targets = Target.objects.filter(demands=demand)
        self.fields["target"].queryset = targets if targets.exists() else Target.objects.all()
        self.fields["networks"].queryset = NetworkPage.objects.live().order_by("title")


class DemandChoiceForm(forms.Form):
    demand = forms.ModelChoiceField(
        queryset=DemandPage.objects.order_by("title"), label="Which demand was delivered?"
    )


class DemandChooseView(WagtailAdminTemplateMixin, FormView):
    """The first step of recording a delivery: which demand. It goes on by GET to the form."""

    form_class = DemandChoiceForm
    template_name = "targets/admin/delivery_choose_demand.html"
    page_title = "Record a delivery"
    header_icon = "mail"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.has_perm("targets.add_delivery"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "action": reverse("deliveries:add")}


class DeliveryCreateView(RefusalShownMixin, generic.CreateView):
    submit_button_label = "Record the delivery"

    @cached_property
    def demand(self):
        demand_id = _query_id(self.request, "demand")
        if demand_id is None:
            return None
        return get_object_or_404(DemandPage, pk=demand_id)

    def get(self, request, *args, **kwargs):
        if self.demand is None:
            return redirect("deliveries:choose_demand")
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.demand is None:
            raise Http404("Choose the demand first.")
        return super().post(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.demand.title

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "demand": self.demand}

    def get_initial(self):
        networks = NetworkCoSignature.objects.filter(demand=self.demand, network__live=True)
        return {
            "demand": self.demand.pk,
            "delivered_on": timezone.localdate(),
            "signature_count": demand_count(demand=self.demand),
            "networks": list(networks.values_list("network_id", flat=True)),
        }

    def get_add_url(self):
        return f"{super().get_add_url()}?demand={self.demand.pk}"

    def save_instance(self):
        data = self.form.cleaned_data
        return services.delivery_record(
            demand=data["demand"],
            target=data["target"],
            delivered_on=data["delivered_on"],
            method=data["method"],
            signature_count=data["signature_count"],
            networks=data["networks"],
            document=data["document"],
            note=data["note"],
            response_due=data["response_due"],
            user=self.request.user,
        )

    def get_success_message(self, instance):
        return (
            f"Delivery to {instance.target} recorded; the response is due by "
            f"{instance.response_due:%-d %B %Y}. Signers and followers are told by email."
        )


class DeliveryEditView(RefusalShownMixin, generic.EditView):
    def save_instance(self):
        return services.delivery_update(delivery=super().save_instance())

    @cached_property
    def header_buttons(self):
        if hasattr(self.object, "response"):
            url = reverse("target_responses:edit", args=[self.object.response.pk])
            return [HeaderButton("The response", url=url, icon_name="doc-full")]
        url = reverse("target_responses:add") + f"?delivery={self.object.pk}"
        return [HeaderButton("Record the response", url=url, icon_name="mail")]


def delivery_status(delivery):
    if getattr(delivery, "response", None) is not None:
        return f"Answered {delivery.response.received_on:%-d %b %Y}"
    if delivery.days_overdue:
        return f"{delivery.days_overdue} working days overdue"
    return "Awaited"


class DeliveryIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("demand", "target", "response")


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    name = "deliveries"
    url_prefix = "deliveries"
    icon = "mail"
    menu_label = "Deliveries"
    form_fields = DeliveryForm.Meta.fields
    index_view_class = DeliveryIndexView
    add_view_class = DeliveryCreateView
    edit_view_class = DeliveryEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["-delivered_on", "-pk"]
    list_filter = ["target"]
    list_display = [
        Column("demand", label="Demand", accessor="demand"),
        Column("target", label="Target", accessor="target"),
        DateColumn("delivered_on", label="Delivered", sort_key="delivered_on"),
        DateColumn("response_due", label="Response due", sort_key="response_due"),
        Column("status", label="Response", accessor=delivery_status),
    ]

    def get_form_class(self, for_update=False):
        return DeliveryForm

    def get_urlpatterns(self):
        choose = DemandChooseView.as_view()
        return [*super().get_urlpatterns(), path("choose/", choose, name="choose_demand")]


# --- Responses ------------------------------------------------------------------------------
class ResponseForm(WagtailAdminModelForm):
    class Meta:
        model = TargetResponse
        fields = ["delivery", "received_on", "text", "document"]
        widgets = {
            "delivery": forms.HiddenInput,
            "received_on": DATE,
            "document": AdminDocumentChooser,
        }
        help_texts = {"text": "What they answered; or give the document, or both."}

    def __init__(self, *args, delivery=None, **kwargs):
        super().__init__(*args, **kwargs)
        delivery = delivery or self.instance.delivery
        self.fields["delivery"].queryset = Delivery.objects.filter(pk=delivery.pk)


class ResponseCreateView(RefusalShownMixin, generic.CreateView):
    submit_button_label = "Record the response"

    @cached_property
    def delivery(self):
        delivery_id = _query_id(self.request, "delivery")
        if delivery_id is None:
            raise Http404("A response is recorded from its delivery.")
        return get_object_or_404(
            Delivery.objects.select_related("demand", "target"), pk=delivery_id
        )

    def get_page_subtitle(self):
        return str(self.delivery)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "delivery": self.delivery}

    def get_initial(self):
        return {"delivery": self.delivery.pk, "received_on": timezone.localdate()}

    def get_add_url(self):
        return f"{super().get_add_url()}?delivery={self.delivery.pk}"

    def save_instance(self):
        data = self.form.cleaned_data
        return services.response_record(
            delivery=self.delivery,
            received_on=data["received_on"],
            text=data["text"],
            document=data["document"],
            user=self.request.user,
        )

    def get_success_url(self):
        return reverse("deliveries:edit", args=[self.delivery.pk])

    def get_success_message(self, instance):
        return f"{self.delivery.target}'s response recorded. Signers and followers are told."


class ResponseEditView(RefusalShownMixin, generic.EditView):
    def save_instance(self):
        return services.response_update(response=super().save_instance())


class ResponseIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("delivery__demand", "delivery__target")

    def get_add_url(self):
        # A response is recorded from its delivery's page, never from here.
        return None


class ResponseViewSet(ModelViewSet):
    model = TargetResponse
    name = "target_responses"
    url_prefix = "target-responses"
    icon = "doc-full"
    menu_label = "Responses"
    form_fields = ResponseForm.Meta.fields
    index_view_class = ResponseIndexView
    add_view_class = ResponseCreateView
    edit_view_class = ResponseEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    ordering = ["-received_on", "-pk"]
    list_display = [
        Column("delivery", label="Delivery", accessor="delivery"),
        DateColumn("received_on", label="Received", sort_key="received_on"),
    ]

    def get_form_class(self, for_update=False):
        return ResponseForm


class DeliveriesGroup(ModelViewSetGroup):
    menu_label = "Deliveries"
    menu_icon = "mail"
    menu_order = 250
    items = [DeliveryViewSet, ResponseViewSet]

"""The demand pages and their routes. They sit above the app's services, selectors and forms,
which read and write the records (campaigns.records) and never import this module."""

from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.validators import validate_comma_separated_integer_list
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from hub import pagecache
from hub.blocks import BaseStreamBlock
from hub.cache import cached
from hub.forms import TopLevelPageForm
from hub.ratelimit import client_ip
from hub.search import SearchSummary, snippet
from hub.subpages import RouteSafeSlugMixin

from . import selectors, services
from .forms import CoSignForm, MandateForm, SignatureForm
from .milestones import milestones_parse
from .records import (
    DemandStatus,
    DemandTally,
    DemandVersion,
    Mandate,
    MilestonePromise,
    MilestoneReached,
    NetworkCoSignature,
    PlatformVersion,
    Signature,
)
from .sections import demand_page_sections

# The records are Django's models of this app too; `from campaigns.models import Signature` reads.
__all__ = [
    "DemandIndexPage",
    "DemandPage",
    "DemandStatus",
    "DemandTally",
    "DemandVersion",
    "Mandate",
    "MilestonePromise",
    "MilestoneReached",
    "NetworkCoSignature",
    "PlatformPage",
    "PlatformVersion",
    "Signature",
]

COUNTS_CACHE_SECONDS = 5
NAMES_PER_PAGE = 50


def _network_form(request, form_class=CoSignForm, *, auto_id):
    networks = selectors.networks_administered(user=request.user)
    if not networks.exists():
        raise PermissionDenied("Only a network's admins can act for it.")
    return form_class(request.POST, networks=networks, auto_id=auto_id)


def _mandate(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("mandate", "decided_on", "members")}


class DemandIndexPage(Page):
    """All the coalition's demands, at /demands/."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["campaigns.PlatformPage", "campaigns.DemandPage"]
    max_count = 1
    page_description = "The list of the coalition's demands. There is only one."
    base_form_class = TopLevelPageForm

    class Meta:
        verbose_name = "demand index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["platforms"] = PlatformPage.objects.child_of(self).live().specific()
        context["demands"] = selectors.with_counts(
            DemandPage.objects.child_of(self).live().order_by("path")
        ).prefetch_related("milestone_promises")
        return context


class PlatformPage(RoutablePageMixin, Page):
    """A platform groups demands that networks co-sign together."""

    intro = models.TextField(max_length=500, blank=True)
    body = StreamField(BaseStreamBlock(), blank=True)

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["campaigns.DemandIndexPage"]
    subpage_types = ["campaigns.DemandPage"]
    page_description = "A platform of demands, such as the platform for an IAPT inquiry."

    def search_summary(self, ancestors):
        return SearchSummary(
            kind="Platform",
            snippet=snippet(self.search_description, self.intro),
            date=self.last_published_at,
        )

    class Meta:
        verbose_name = "platform"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.platform_table(platform=self))
        context["version"] = cached(
            f"platform-version:{self.pk}",
            lambda: selectors.platform_version_current(platform=self),
        )
        networks = selectors.networks_administered(user=request.user)
        context["cosign_networks"] = networks
        if networks:
            context.setdefault("cosign_form", CoSignForm(networks=networks, auto_id="platform-%s"))
        return context

    def get_demands(self):
        """The platform's demands, published or not."""
        return DemandPage.objects.child_of(self)

    @path("")
    def index(self, request):
        return self.render(request)

    @path("history/")
    @method_decorator(require_http_methods(["GET", "HEAD"]))
    def history(self, request):
        page_obj = selectors.platform_history(platform=self, page_number=request.GET.get("page"))
        return TemplateResponse(
            request, "campaigns/platform_history.html", {"page": self, "page_obj": page_obj}
        )

    @path("cosign/")
    @method_decorator(require_POST)
    def cosign(self, request):
        form = _network_form(request, auto_id="platform-%s")
        if not form.is_valid():
            response = self.render(request, context_overrides={"cosign_form": form})
            response.status_code = 400
            return response
        network = form.cleaned_data["network"]
        if form.cleaned_data["action"] == "withdraw":
            services.platform_cosign_withdraw(network=network, platform=self, user=request.user)
            messages.success(request, f"{network.title} no longer co-signs this platform.")
        else:
            count = services.platform_cosign(
                network=network,
                platform=self,
                user=request.user,
                statement=form.cleaned_data["statement"],
                **_mandate(form),
            )
            messages.success(request, f"{network.title} co-signs all {count} demands.")
        return redirect(self.url)


class DemandPage(RouteSafeSlugMixin, RoutablePageMixin, Page):
    """One demand: the ask, the case for it, and who has co-signed it."""

    ask = models.CharField(max_length=200, help_text="The demand in one sentence.")
    case = StreamField(BaseStreamBlock(), blank=True, help_text="The case for the demand.")
    status = models.CharField(
        max_length=10, choices=DemandStatus.choices, default=DemandStatus.OPEN, db_index=True
    )
    response = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="The target's response, once there is one.",
    )
    deadline = models.DateField(null=True, blank=True)
    milestones = models.CharField(
        max_length=200,
        blank=True,
        default="100,1000,10000",
        validators=[validate_comma_separated_integer_list],
        help_text="Signature counts to aim for, separated by commas: 100,1000,10000.",
    )
    targets = ParentalManyToManyField(
        "targets.Target",
        blank=True,
        related_name="demands",
        help_text="The bodies that must answer it. Hub moderators add new ones under Targets.",
    )
    proposing_networks = ParentalManyToManyField(
        "networks.NetworkPage", blank=True, related_name="proposed_demands"
    )
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="demands")

    search_fields = [
        *Page.search_fields,
        index.SearchField("ask"),
        index.SearchField("case"),
        index.RelatedFields("targets", [index.SearchField("name")]),
        index.FilterField("status"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("ask"),
        FieldPanel("targets", widget=forms.CheckboxSelectMultiple),
        FieldPanel("case"),
        MultiFieldPanel(
            [FieldPanel("status"), FieldPanel("response"), FieldPanel("deadline")],
            heading="Status",
        ),
        FieldPanel("milestones"),
        InlinePanel(
            "milestone_promises",
            heading="Milestone promises",
            label="promise",
            help_text="What the coalition does when the count reaches a milestone; its count "
            "joins the milestones above.",
        ),
        FieldPanel("proposing_networks", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["campaigns.DemandIndexPage", "campaigns.PlatformPage"]
    subpage_types = []
    page_description = "A demand that networks and members co-sign."

    class Meta:
        verbose_name = "demand"

    search_prefetch = ["proposing_networks"]

    def search_summary(self, ancestors):
        return SearchSummary(
            kind="Demand",
            snippet=snippet(self.search_description, self.ask),
            network=", ".join(network.title for network in self.proposing_networks.all()),
            date=self.first_published_at,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read once for the bar, the list of milestones and the promises in both.
        prefetch_related_objects([self], "milestone_promises")
        context.setdefault("form", SignatureForm())
        context.update(selectors.demand_overview(demand=self))
        networks = selectors.networks_administered(user=request.user)
        context["cosign_networks"] = networks
        if networks:
            context.setdefault("cosign_form", CoSignForm(networks=networks, auto_id="cosign-%s"))
            outdated = set(context["coalition_outdated"])
            to_confirm = [c.network_id for c in context["coalition"] if c.pk in outdated]
            confirmable = networks.filter(pk__in=to_confirm)
            if confirmable:
                context.setdefault(
                    "confirm_form", MandateForm(networks=confirmable, auto_id="confirm-%s")
                )
        context["member_signature"] = selectors.member_signature(demand=self, user=request.user)
        context["milestones"] = selectors.demand_milestones(demand=self)
        context["milestones_promised"] = any(m["promise"] for m in context["milestones"])
        context["page_sections"] = demand_page_sections(request, self)
        return context

    @property
    def is_open(self) -> bool:
        return self.status == DemandStatus.OPEN and (
            self.deadline is None or self.deadline >= timezone.localdate()
        )

    @property
    def milestone_list(self) -> list[int]:
        """The milestones typed in and those promises carry, smallest first (a query, unless
        `milestone_promises` was prefetched)."""
        promised = {promise.count for promise in self.milestone_promises.all() if promise.count}
        return sorted(promised.union(milestones_parse(self.milestones)))

    @property
    def milestone_promise_texts(self) -> dict[int, str]:
        """Each promised count's promises, joined: two promises at one count are one step."""
        texts: dict[int, list[str]] = {}
        # Stable: promises at one count keep the editor's order.
        for promise in sorted(self.milestone_promises.all(), key=lambda promise: promise.count):
            texts.setdefault(promise.count, []).append(promise.promise)
        return {count: "; ".join(promises) for count, promises in texts.items()}

    def platform_demands_unsigned(self, *, canonical_email: str) -> list:
        """The platform's other live demands that `canonical_email` has not signed, with their
        counts (two queries); none when the demand belongs to no platform."""
        platform = PlatformPage.objects.live().parent_of(self).first()
        if platform is None:
            return []
        others = platform.get_demands().live().exclude(pk=self.pk).order_by("path")
        return list(selectors.demands_unsigned(others, canonical_email=canonical_email))

    def _render(self, request, *, status=200, **overrides):
        response = self.render(request, context_overrides=overrides or None)
        response.status_code = status
        return response

    def _sign(self, request, data, **extra):
        fields = ["name", "email", "kind", "postcode", "affiliation", "show_name", "keep_updated"]
        return services.signature_create(
            demand=self, ip=client_ip(request), **{name: data[name] for name in fields}, **extra
        )

    @path("")
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def index(self, request):
        if request.method != "POST":
            return pagecache.allow(self._render(request))
        if not self.is_open:
            return self._render(request, status=409)
        form = SignatureForm(request.POST)
        if not form.is_valid():
            return self._render(request, form=form, status=400)
        if not form.is_spam:
            self._sign(request, form.cleaned_data)
        # The same answer whether the email is new, had signed before, or the form was spam.
        return TemplateResponse(
            request, "campaigns/signature_check_email.html", {"page": self, "demand": self}
        )

    @path("sign-as-member/")
    @method_decorator(require_POST)
    def sign_as_member(self, request):
        user = request.user
        if not user.is_authenticated:
            return redirect(f"/accounts/login/?next={self.url}")
        if not self.is_open:
            return self._render(request, status=409)
        verified = EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True)
        if not verified.exists():
            raise PermissionDenied("Verify your email address to sign in one click.")
        form = SignatureForm(
            {
                "name": user.get_full_name() or user.email.partition("@")[0],
                "email": user.email,
                "kind": request.POST.get("kind", ""),
                "postcode": request.POST.get("postcode", ""),
                "affiliation": request.POST.get("affiliation", ""),
                "show_name": request.POST.get("show_name", ""),
                "keep_updated": request.POST.get("keep_updated", ""),
            }
        )
        if not form.is_valid():
            return self._render(request, form=form, status=400)
        self._sign(request, form.cleaned_data, user=user, confirmed=True)
        messages.success(request, "Thank you: your signature is confirmed and counted.")
        return redirect(self.url)

    @path("withdraw-as-member/")
    @method_decorator(require_POST)
    def withdraw_as_member(self, request):
        if not request.user.is_authenticated:
            return redirect(f"/accounts/login/?next={self.url}")
        signature = selectors.member_signature(demand=self, user=request.user)
        if signature is not None:
            services.signature_withdraw(signature=signature)
        messages.success(request, "Your signature is withdrawn and deleted.")
        return redirect(self.url)

    @path("names/")
    @method_decorator(require_http_methods(["GET", "HEAD"]))
    def names(self, request):
        paginator = Paginator(selectors.signature_names(demand=self), NAMES_PER_PAGE)
        page_obj = paginator.get_page(request.GET.get("page"))
        return TemplateResponse(
            request,
            "campaigns/demand_names.html",
            {"page": self, "demand": self, "page_obj": page_obj},
        )

    @path("counts/")
    @method_decorator(require_http_methods(["GET", "HEAD"]))
    def counts(self, request):
        key = f"campaigns:counts:{self.pk}"
        payload = cache.get(key)
        if payload is None:
            payload = selectors.demand_counts_payload(demand=self)
            cache.set(key, payload, COUNTS_CACHE_SECONDS)
        response = JsonResponse(payload)
        response["Cache-Control"] = f"public, max-age={COUNTS_CACHE_SECONDS}"
        return response

    @path("history/")
    @method_decorator(require_http_methods(["GET", "HEAD"]))
    def history(self, request):
        page_obj = selectors.demand_history(demand=self, page_number=request.GET.get("page"))
        return TemplateResponse(
            request, "campaigns/demand_history.html", {"page": self, "page_obj": page_obj}
        )

    @path("cosign/")
    @method_decorator(require_POST)
    def cosign(self, request):
        form = _network_form(request, auto_id="cosign-%s")
        if not form.is_valid():
            return self._render(request, status=400, cosign_form=form)
        network = form.cleaned_data["network"]
        if form.cleaned_data["action"] == "withdraw":
            services.network_cosignature_withdraw(network=network, demand=self, user=request.user)
            messages.success(request, f"{network.title} no longer co-signs this demand.")
        else:
            services.network_cosignature_create(
                network=network,
                demand=self,
                user=request.user,
                statement=form.cleaned_data["statement"],
                **_mandate(form),
            )
            messages.success(request, f"{network.title} co-signs this demand.")
        return redirect(self.url)

    @path("confirm-version/")
    @method_decorator(require_POST)
    def confirm_version(self, request):
        """A network admin confirms that the network agrees to the current wording."""
        form = _network_form(request, MandateForm, auto_id="confirm-%s")
        if form.is_valid():
            network = form.cleaned_data["network"]
            try:
                cosignature = services.network_cosignature_confirm(
                    network=network, demand=self, user=request.user, **_mandate(form)
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    f"{network.title} now co-signs version {cosignature.version.number}.",
                )
                return redirect(self.url)
        return self._render(request, status=400, confirm_form=form)

from functools import wraps

from allauth.account.models import EmailAddress
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from hub.blocks import BaseStreamBlock, SocialLinkBlock
from hub.pagecache import allow, filter_query
from hub.ratelimit import rate_limit_hit
from hub.search import SearchSummary, snippet
from hub.subpages import RouteSafeSlugMixin, subpage_url

from . import services
from .feeds import PositionsFeed
from .forms import (
    DirectoryFilterForm,
    InvitationForm,
    NetworkApplicationForm,
    PositionFilterForm,
    RoleForm,
)
from .records import (
    STRAPLINE_MAX_LENGTH,
    ApplicationStatus,
    Invitation,
    Membership,
    MembershipRole,
    NetworkApplication,
    NetworkKind,
    name_key,
)
from .sections import network_page_sections
from .selectors import network_admin_membership

# The records are the app's models too; callers find every model of the app here.
__all__ = [
    "ApplicationStatus",
    "Invitation",
    "Membership",
    "MembershipRole",
    "NetworkApplication",
    "NetworkIndexPage",
    "NetworkKind",
    "NetworkPage",
    "PositionPage",
    "name_key",
    "positions_with_networks",
]

DIRECTORY_PAGE_SIZE = 12
LATEST_POSITIONS = 5
UPCOMING_EVENTS = 5
POSITIONS_PAGE_SIZE = 20
FEED_LENGTH = 20
APPLICATIONS_PER_HOUR = 5
INVITATIONS_PER_HOUR = 30


def _children_count(pages):
    """Counts each network's child pages in `pages`, as a subquery the directory can annotate."""
    children = (
        pages.filter(path__startswith=OuterRef("path"), depth=OuterRef("depth") + 1)
        .order_by()
        .values("depth")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(children), Value(0))


def _upcoming_event_count():
    """Counts each network's upcoming events that are going ahead, its own and those it agreed
    to co-organise."""
    # The events app sits above this one: its models are reached through their relations to
    # networks, never imported.
    event_model = NetworkPage.organised_events.rel.related_model
    invitation_model = NetworkPage.co_organiser_invitations.rel.related_model
    co_organised = (
        invitation_model.objects.accepted()
        .filter(network=OuterRef(OuterRef("pk")))
        .values("event_id")
    )
    events = (
        event_model.objects.live()
        .public()
        .upcoming()
        .going_ahead()
        .filter(Q(organising_network=OuterRef("pk")) | Q(pk__in=co_organised))
        .order_by()
        .values("live")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(events), Value(0))


class NetworkPageQuerySet(PageQuerySet):
    def with_counts(self):
        # One subquery per count keeps the directory's query count flat however many networks.
        return self.annotate(
            position_count=_children_count(PositionPage.objects.live()),
            upcoming_event_count=_upcoming_event_count(),
        )

    def matching(self, *, kind="", region=None, topic=None, query=""):
        """The directory's filters, as DirectoryFilterForm cleans them."""
        networks = self
        if kind:
            networks = networks.filter(kind=kind)
        if region is not None:
            # A UK-wide network (one with no region) serves every region too.
            networks = networks.filter(Q(regions=region) | Q(regions__isnull=True))
        if topic is not None:
            networks = networks.filter(topics=topic)
        if query:
            networks = networks.filter(Q(title__icontains=query) | Q(description__icontains=query))
        return networks

    def for_directory(self):
        return (
            self.live()
            .public()
            .with_counts()
            .select_related("logo")
            .prefetch_related("regions", "logo__renditions")
            .order_by("title", "pk")
        )


class NetworkIndexPage(RoutablePageMixin, Page):
    """The directory of networks at /networks/, with the positions, applications and
    invitations that belong to no one network."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["networks.NetworkPage"]
    max_count = 1
    page_description = "The directory of member networks. There is only one."

    class Meta:
        verbose_name = "network directory"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters = DirectoryFilterForm(request.GET or None)
        networks = self.get_networks(**(filters.cleaned_data if filters.is_valid() else {}))
        page_obj = Paginator(networks, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(filters=filters, networks=page_obj, paginator=page_obj.paginator)
        return context

    def page_cache_query(self, request, context):
        filters = context["filters"]
        used = filters.cleaned_data.items() if filters.is_valid() else ()
        # Free-text searches are rarely repeated and could fill the cache one entry each.
        names = [name for name, value in used if value and name != "query"]
        return filter_query(request, names, page=context["networks"])

    def get_networks(self, **filters):
        return NetworkPage.objects.child_of(self).for_directory().matching(**filters)

    @path("")
    def index_route(self, request):
        # Only the directory itself goes to the anonymous page cache, not its other routes.
        response = super().index_route(request)
        if response.context_data["filters"].errors:
            response.status_code = 400
        return allow(response, query=self.page_cache_query(request, response.context_data))

    @path("apply/")
    @method_decorator(login_required)
    @method_decorator(require_http_methods(["GET", "POST"]))
    def apply(self, request):
        context = {
            "directory": self,
            "applications": request.user.network_applications.select_related("network"),
            "verified": EmailAddress.objects.filter(user=request.user, verified=True).exists(),
        }
        if not context["verified"]:
            return TemplateResponse(request, "networks/apply.html", context, status=403)
        # Bound on every POST, even an empty one, so that it reports what is missing.
        if request.method == "POST":
            form = NetworkApplicationForm(request.POST, request.FILES)
        else:
            form = NetworkApplicationForm()
        context["form"] = form
        if request.method == "GET":
            # After "thank you" the page says what waits, not an empty form to fill again.
            context["waiting"] = [
                a for a in context["applications"] if a.status == ApplicationStatus.PENDING
            ]
            if context["waiting"] and "another" not in request.GET:
                context["form"] = None
            return TemplateResponse(request, "networks/apply.html", context)
        if rate_limit_hit(
            scope="network-apply",
            key=str(request.user.pk),
            limit=APPLICATIONS_PER_HOUR,
            period=3600,
        ):
            context["form"] = None
            context["rate_limited"] = True
            return TemplateResponse(request, "networks/apply.html", context, status=429)
        if form.is_valid():
            try:
                services.network_application_create(applicant=request.user, **form.cleaned_data)
            except ValidationError as error:
                form.add_error("name", error)
            else:
                messages.success(
                    request,
                    "Thank you: your application is with the hub's moderators. We will email "
                    "you when they have decided.",
                )
                return HttpResponseRedirect(subpage_url(self, "apply", request=request))
        return TemplateResponse(request, "networks/apply.html", context, status=400)

    @path("positions/")
    @method_decorator(require_GET)
    def positions(self, request):
        # The URL of the chosen network's feed is made from these fields alone.
        networks = NetworkPage.objects.live().public().order_by("title")
        filters = PositionFilterForm(
            request.GET or None, networks=networks.only("title", "slug", "url_path")
        )
        cleaned = filters.cleaned_data if filters.is_valid() else {}
        network = cleaned.get("network")
        positions = PositionPage.objects.for_listing().matching(
            network=network, topic=cleaned.get("topic")
        )
        page_obj = Paginator(positions, POSITIONS_PAGE_SIZE).get_page(request.GET.get("page"))
        page_obj.object_list = positions_with_networks(page_obj.object_list)
        feed_url = (
            subpage_url(network, "network_feed", request=request)
            if network
            else subpage_url(self, "feed", request=request)
        )
        context = {
            "directory": self,
            "filters": filters,
            "positions": page_obj,
            "network": network,
            "feed_url": feed_url,
        }
        return TemplateResponse(
            request,
            "networks/position_index.html",
            context,
            status=400 if filters.errors else 200,
        )

    @path("positions/feed/", name="feed")
    def positions_feed(self, request):
        positions = PositionPage.objects.for_listing()[:FEED_LENGTH]
        return PositionsFeed()(
            request,
            network=None,
            link=subpage_url(self, "positions", request=request),
            positions=positions_with_networks(positions),
        )

    @path("invitations/<str:token>/")
    @method_decorator(login_required)
    @method_decorator(require_http_methods(["GET", "POST"]))
    def invitation(self, request, token):
        context = {"directory": self, "token": token}
        try:
            if request.method == "GET":
                context["invitation"] = services.invitation_from_token(token)
                return TemplateResponse(request, "networks/invitation.html", context)
            membership = services.invitation_accept(token=token, user=request.user)
        except services.InvitationError as error:
            context["error"] = "; ".join(error.messages)
            status = 403 if error.code == "wrong_account" else 400
            return TemplateResponse(request, "networks/invitation.html", context, status=status)
        network = membership.network
        messages.success(
            request,
            f"Welcome to {network.title}. You can now edit its pages in the admin.",
        )
        return HttpResponseRedirect(network.get_url(request))


def network_admin_route(handler):
    """Lets through to a network's route only the network's admins."""

    @wraps(handler)
    @method_decorator(login_required)
    def wrapped(network, request, **kwargs):
        if network_admin_membership(network=network, user=request.user) is None:
            return TemplateResponse(
                request, "networks/not_admin.html", {"network": network}, status=403
            )
        return handler(network, request, **kwargs)

    return wrapped


class NetworkPage(RouteSafeSlugMixin, RoutablePageMixin, Page):
    """One approved network; its editors manage this page and everything below it."""

    kind = models.CharField(max_length=20, choices=NetworkKind.choices, db_index=True)
    strapline = models.CharField(
        max_length=STRAPLINE_MAX_LENGTH,
        blank=True,
        help_text="One line under the name, on the page and in the directory.",
    )
    description = RichTextField(features=["bold", "italic", "link", "ol", "ul"])
    logo = models.ForeignKey(
        settings.WAGTAILIMAGES_IMAGE_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(blank=True)
    public_contact_email = models.EmailField(
        blank=True, help_text="Shown on the network's page. Leave empty to show none."
    )
    regions = ParentalManyToManyField(
        "hub.Region", blank=True, related_name="networks", help_text="Where the network works."
    )
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="networks")
    social_links = StreamField([("link", SocialLinkBlock())], blank=True)
    founded_year = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1800), MaxValueValidator(2100)]
    )
    how_to_join = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    editors_group = models.OneToOneField(
        Group,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="network_page",
        help_text="The Wagtail group holding permissions on this network's pages only.",
    )
    # The name as compared for clashes; unique so that concurrent approvals cannot both win.
    name_key = models.CharField(max_length=255, unique=True, editable=False)

    search_fields = [
        *Page.search_fields,
        index.SearchField("strapline"),
        index.SearchField("description"),
        index.FilterField("kind"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("strapline"),
        FieldPanel("description"),
        FieldPanel("logo"),
        MultiFieldPanel(
            [FieldPanel("website"), FieldPanel("public_contact_email"), FieldPanel("social_links")],
            heading="Contact",
        ),
        FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("founded_year"),
        FieldPanel("how_to_join"),
    ]

    parent_page_types = ["networks.NetworkIndexPage"]
    subpage_types = ["networks.PositionPage", "events.EventPage", "surveys.SurveyPage"]
    page_description = (
        "A member network of the coalition, created when its application is approved."
    )

    objects = PageManager.from_queryset(NetworkPageQuerySet)()

    class Meta:
        verbose_name = "network"

    def search_summary(self, ancestors):
        return SearchSummary(
            kind="Network",
            snippet=snippet(self.strapline, self.search_description, self.description),
            date=self.first_published_at,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest_positions"] = self.get_positions()[:LATEST_POSITIONS]
        context["upcoming_events"] = self.get_upcoming_events()[:UPCOMING_EVENTS]
        context["regions"] = self.regions.all()
        context["topics"] = self.topics.all()
        context["page_sections"] = network_page_sections(request, self)
        # The directory's own route, reversed on its class: the parent is known without its
        # specific row, which the routing did not fetch.
        context["positions_url"] = self.get_parent().get_url(
            request
        ) + NetworkIndexPage.get_resolver().reverse("positions")
        if request.user.is_authenticated:
            context["membership"] = self.memberships.filter(user=request.user).first()
        return context

    def clean(self):
        super().clean()
        key = name_key(self.title)
        if not key:
            raise ValidationError({"title": "The name needs at least one letter or digit."})
        if NetworkPage.objects.exclude(pk=self.pk).filter(name_key=key).exists():
            raise ValidationError({"title": "Another network already has this name."})

    def save(self, *args, **kwargs):
        # The clash key follows the title, so a renamed network keeps its name reserved.
        self.name_key = name_key(self.title)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "title" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        return super().save(*args, **kwargs)

    def get_upcoming_events(self):
        # Through the events' relation to the network: the events app sits above this one.
        events = self.organised_events.model.objects
        return events.for_listing().upcoming().going_ahead().for_network(self)

    def get_positions(self):
        return PositionPage.objects.child_of(self).for_listing()

    def _members_page(self, request, *, invite_form=None, error=None, status=200):
        memberships = self.memberships.select_related("user").order_by("role", "user__email")
        context = {
            "network": self,
            "memberships": [
                (m, RoleForm(initial={"role": m.role}, prefix=f"m{m.pk}")) for m in memberships
            ],
            "invitations": self.invitations.filter(accepted_at__isnull=True),
            "invite_form": invite_form or InvitationForm(),
            "error": error,
        }
        return TemplateResponse(request, "networks/members.html", context, status=status)

    def _members_redirect(self, request):
        return HttpResponseRedirect(subpage_url(self, "members", request=request))

    @path("")
    def index_route(self, request):
        # Only the network's own page goes to the anonymous page cache, not its other routes.
        return allow(super().index_route(request))

    @path("positions/feed/", name="network_feed")
    def positions_feed(self, request):
        return PositionsFeed()(
            request,
            network=self,
            link=self.get_url(request),
            positions=positions_with_networks(self.get_positions()[:FEED_LENGTH]),
        )

    @path("members/")
    @method_decorator(require_GET)
    @network_admin_route
    def members(self, request):
        return self._members_page(request)

    @path("members/invite/")
    @method_decorator(require_POST)
    @network_admin_route
    def invite(self, request):
        form = InvitationForm(request.POST)
        if form.is_valid() and rate_limit_hit(
            scope="network-invite",
            key=str(request.user.pk),
            limit=INVITATIONS_PER_HOUR,
            period=3600,
        ):
            return self._members_page(
                request, error="Too many invitations this hour. Try later.", status=429
            )
        if form.is_valid():
            try:
                invitation = services.invitation_create(
                    network=self, invited_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error("email", error)
            else:
                messages.success(request, f"Invitation sent to {invitation.email}.")
                return self._members_redirect(request)
        return self._members_page(request, invite_form=form, status=400)

    @path("members/<int:pk>/role/")
    @method_decorator(require_POST)
    @network_admin_route
    def member_role(self, request, pk):
        membership = get_object_or_404(Membership, network=self, pk=pk)
        form = RoleForm(request.POST, prefix=f"m{pk}")
        if not form.is_valid():
            return self._members_page(request, error="Choose admin or editor.", status=400)
        try:
            services.membership_role_change(membership=membership, role=form.cleaned_data["role"])
        except ValidationError as error:
            return self._members_page(request, error="; ".join(error.messages), status=400)
        role = membership.get_role_display().lower()
        messages.success(request, f"{membership.user} is now {role}.")
        return self._members_redirect(request)

    @path("members/<int:pk>/remove/")
    @method_decorator(require_POST)
    @network_admin_route
    def member_remove(self, request, pk):
        membership = get_object_or_404(
            Membership.objects.select_related("user"), network=self, pk=pk
        )
        try:
            services.membership_remove(membership=membership)
        except ValidationError as error:
            return self._members_page(request, error="; ".join(error.messages), status=400)
        if membership.user_id == request.user.pk:
            messages.success(request, f"You have left {self.title}.")
            return HttpResponseRedirect(self.get_url(request))
        messages.success(request, f"{membership.user} is no longer a member.")
        return self._members_redirect(request)

    @path("leave/")
    @method_decorator(login_required)
    @method_decorator(require_http_methods(["GET", "POST"]))
    def leave(self, request):
        membership = get_object_or_404(Membership, network=self, user=request.user)
        context = {"network": self, "membership": membership}
        if request.method == "GET":
            return TemplateResponse(request, "networks/leave.html", context)
        try:
            services.membership_remove(membership=membership)
        except ValidationError as error:
            context["error"] = "; ".join(error.messages)
            return TemplateResponse(request, "networks/leave.html", context, status=400)
        messages.success(request, f"You have left {self.title}.")
        return HttpResponseRedirect(self.get_url(request))


class PositionPageQuerySet(PageQuerySet):
    def for_listing(self):
        return self.live().public().prefetch_related("topics").order_by("-date", "-pk")

    def matching(self, *, network=None, topic=None):
        """The positions of one network, or on one topic, or both."""
        positions = self
        if network is not None:
            positions = positions.child_of(network)
        if topic is not None:
            positions = positions.filter(topics=topic)
        return positions


def positions_with_networks(positions) -> list["PositionPage"]:
    """Sets `.network` on each position with one query, however many networks they span."""
    positions = list(positions)
    parent_paths = {position.path[: -PositionPage.steplen] for position in positions}
    networks = {
        network.path: network
        for network in NetworkPage.objects.filter(path__in=parent_paths).only(
            "title", "slug", "url_path", "path", "depth"
        )
    }
    for position in positions:
        position.network = networks.get(position.path[: -PositionPage.steplen])
    return positions


class PositionPage(RouteSafeSlugMixin, Page):
    """A network's position statement on a question that matters to it."""

    summary = models.TextField(
        max_length=400, help_text="One or two sentences, shown in listings and feeds."
    )
    body = StreamField(BaseStreamBlock(), blank=True)
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="positions")
    date = models.DateField(default=timezone.localdate, help_text="When the position was taken.")

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("date"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("date"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["networks.NetworkPage"]
    subpage_types = []
    page_description = "A position statement published by a network."

    objects = PageManager.from_queryset(PositionPageQuerySet)()

    class Meta:
        verbose_name = "position"

    def search_summary(self, ancestors):
        network = next((a for a in ancestors if a.specific_class is NetworkPage), None)
        return SearchSummary(
            kind="Position",
            snippet=snippet(self.search_description, self.summary),
            network=network.title if network else "",
            date=self.date,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["network"] = self.get_parent().specific
        context["topics"] = self.topics.all()
        return context

"""Surveys: a network (under its own page) or the hub asks questions that can be counted; the
answers are published only as suppressed aggregates (surveys.results), and can be pooled across
networks' surveys that share question-bank questions.

Raw responses are special category data (health, employment): only the survey's own network
editors (or, for a hub survey, moderators) read them, in the admin (surveys.access).
"""

from datetime import timedelta

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, Q, When
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_safe
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from hub.subpages import RouteSafeSlugMixin

from . import answering, publishing
from .forms import SurveyPageForm
from .questions import MIN_CELL_FLOOR, QuestionFields, QuestionKind

SURVEYS_PER_PAGE = 12


def default_min_cell_size() -> int:
    return settings.SURVEY_MIN_CELL_SIZE


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", "Anonymise: drop free text and accounts, keep the counted answers"
    DELETE = "delete", "Delete every response"


class BankQuestion(QuestionFields, index.Indexed):
    """A question kept by moderators so that networks ask it the same way, and their answers
    can be pooled (PooledResultsPage counts a bank question across surveys)."""

    slug = models.SlugField(max_length=80, unique=True, help_text="Never changes once used.")
    notes = models.TextField(
        blank=True, max_length=2000, help_text="Why it is worded this way, for editors."
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    search_fields = [index.SearchField("prompt"), index.AutocompleteField("prompt")]

    panels = [
        FieldPanel("prompt"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("choices"),
        FieldPanel("help_text"),
        FieldPanel("notes"),
    ]

    class Meta:
        ordering = ["prompt"]
        verbose_name = "bank question"


class SurveyIndexPage(Page):
    """/surveys/: open surveys and published results from every network and the hub."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["surveys.SurveyPage", "surveys.PooledResultsPage"]
    max_count = 1
    page_description = "The list of surveys and their results. There is only one."

    class Meta:
        verbose_name = "survey index"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        paginator = Paginator(SurveyPage.objects.listed(timezone.now()), SURVEYS_PER_PAGE)
        context["surveys"] = paginator.get_page(request.GET.get("page"))
        context["pooled"] = PooledResultsPage.objects.child_of(self).live().public()
        return context


def open_at(moment) -> Q:
    return Q(opens_at__lte=moment, closes_at__gt=moment)


def results_shown_at(moment) -> Q:
    """Results show once the survey has closed: an editor may turn them on while it is open."""
    return Q(publish_results=True, closes_at__lte=moment)


class SurveyPageQuerySet(PageQuerySet):
    def open_at(self, moment):
        return self.filter(open_at(moment))

    def results_published(self, moment):
        return self.filter(results_shown_at(moment))

    def shown_at(self, moment):
        """Surveys to be found: those taking answers, and those with results to read."""
        return self.filter(open_at(moment) | results_shown_at(moment))

    def listed(self, moment):
        """What /surveys/ lists, the hub's and every network's: open surveys, closing soonest
        first, then closed ones with published results, latest first."""
        closed = results_shown_at(moment)
        return (
            self.live()
            .public()
            .shown_at(moment)
            .annotate(
                closed=Case(When(closed, then=True), default=False),
                open_until=Case(When(closed, then=None), default=F("closes_at")),
            )
            .select_related("network")
            .order_by("closed", F("open_until").asc(nulls_last=True), "-closes_at", "pk")
        )


class SurveyPage(RouteSafeSlugMixin, RoutablePageMixin, Page):
    """A survey: introduction, consent, questions, open and close dates, and (when its editor
    publishes them) results."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    consent = models.TextField(
        "consent statement",
        max_length=3000,
        help_text="What answering means: what is asked, why, who sees the answers, how results "
        "are published. People agree to it before they answer.",
    )
    data_holder = models.CharField(
        "who holds the answers",
        max_length=200,
        help_text="The organisation responsible for the answers, as people should know it.",
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    needs_account = models.BooleanField(
        "answer with an account",
        default=False,
        help_text="One response per member, which they can change until the survey closes. "
        "Leave unticked for anonymous answers (no account, no email).",
    )
    retention_days = models.PositiveIntegerField(
        "keep answers for (days after closing)",
        default=365,
        validators=[MinValueValidator(1)],
    )
    retention_action = models.CharField(
        "then", max_length=10, choices=RetentionAction.choices, default=RetentionAction.ANONYMISE
    )
    min_cell_size = models.PositiveSmallIntegerField(
        "smallest number shown",
        default=default_min_cell_size,
        validators=[MinValueValidator(MIN_CELL_FLOOR)],
        help_text="Any count below this is hidden, and so is any count that would let one be "
        f"worked out. Never below {MIN_CELL_FLOOR}.",
    )
    share_in_pools = models.BooleanField(
        "show this survey's own column in pooled results",
        default=False,
        help_text="Pooled results always count its answers in the totals; tick to show its own "
        "column beside other networks'.",
    )
    publish_results = models.BooleanField(
        "publish results",
        default=False,
        help_text="Show the counted answers (never free text) once you publish this page.",
    )
    results_intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    network = models.ForeignKey(
        "networks.NetworkPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
        editable=False,
        help_text="Set from the page's place: a survey under a network is that network's.",
    )
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="surveys")
    # Set by the retention beat once the answers have been deleted or anonymised.
    responses_retired_at = models.DateTimeField(null=True, blank=True, editable=False)

    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.FilterField("opens_at"),
        index.FilterField("closes_at"),
        index.FilterField("publish_results"),
    ]

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel(
            "questions",
            heading="Questions",
            label="question",
            min_num=1,
            help_text="Choose a bank question where one fits, so answers can be pooled with "
            "other networks'; or write your own.",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("needs_account"),
            ],
            heading="Answering",
        ),
        MultiFieldPanel(
            [
                FieldPanel("consent"),
                FieldPanel("data_holder"),
                FieldRowPanel([FieldPanel("retention_days"), FieldPanel("retention_action")]),
            ],
            heading="Consent and keeping answers",
        ),
        MultiFieldPanel(
            [
                FieldPanel("publish_results"),
                FieldPanel("results_intro"),
                FieldPanel("min_cell_size"),
                FieldPanel("share_in_pools"),
            ],
            heading="Results",
        ),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["networks.NetworkPage", "surveys.SurveyIndexPage"]
    subpage_types = []
    page_description = "A survey whose counted answers can be published safely."
    base_form_class = SurveyPageForm

    objects = PageManager.from_queryset(SurveyPageQuerySet)()

    class Meta:
        verbose_name = "survey"

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "The survey must close after it opens."})
        # A network's survey is always that network's: editors cannot file it elsewhere.
        parent = self.get_parent() if self.path else None
        if parent is not None and parent.specific_class._meta.label == "networks.NetworkPage":
            self.network_id = parent.pk

    def is_open(self, moment=None) -> bool:
        moment = moment or timezone.now()
        return self.opens_at <= moment < self.closes_at

    @property
    def retire_at(self):
        """When the answers are deleted or anonymised (retention_action)."""
        return self.closes_at + timedelta(days=self.retention_days)

    # Each route hands over to the module that owns it: answering (surveys.answering) and what
    # is published from the answers (surveys.publishing).
    @path("")
    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def index(self, request):
        return answering.survey_answer(request, self)

    @path("results/")
    @method_decorator(require_safe)
    def results(self, request):
        return publishing.survey_results(request, self)

    # Routes named like files end without a slash (config.urls serves such paths), or with
    # one, as Wagtail's routing passes them on.
    @re_path(r"^results\.csv/?$", name="results_csv")
    @method_decorator(require_safe)
    def results_csv(self, request):
        return publishing.survey_results_csv(request, self)

    @re_path(
        r"^results/(?P<question_id>[0-9]{1,9})\.(?P<image_format>\w+)/?$", name="results_chart"
    )
    @method_decorator(require_safe)
    def results_chart(self, request, question_id, image_format):
        return publishing.survey_chart(request, self, int(question_id), image_format)


class SurveyQuestion(Orderable, QuestionFields):
    """One question of a survey: a bank question (its wording copied and kept) or its own."""

    page = ParentalKey(SurveyPage, on_delete=models.CASCADE, related_name="questions")
    bank_question = models.ForeignKey(
        BankQuestion,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="survey_questions",
        help_text="Leave empty to write your own question below.",
    )
    required = models.BooleanField(default=False)

    panels = [
        FieldPanel("bank_question"),
        FieldPanel("prompt"),
        FieldPanel("kind"),
        FieldPanel("choices"),
        FieldPanel("help_text"),
        FieldPanel("required"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "question"

    def clean(self):
        if self.bank_question_id:
            # A bank question is asked exactly as the bank words it, or it cannot be pooled.
            bank = self.bank_question
            self.kind, self.prompt, self.choices = bank.kind, bank.prompt, bank.choices
            self.help_text = self.help_text or bank.help_text
        super().clean()


class Response(models.Model):
    """One person's answers. Anonymous responses hold nothing that identifies anyone: no
    account, address, IP or session (answering keeps "already answered" in the session)."""

    wagtail_reference_index_ignore = True

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="responses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
    )
    submitted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # The answers to the survey's role and region questions, copied here so results can be
    # broken down by them without a join per question; blank when not asked or not answered.
    role = models.CharField(max_length=20, blank=True)
    region = models.CharField(max_length=40, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_response_once_per_member",
            )
        ]
        indexes = [
            models.Index(fields=["survey", "role"]),
            models.Index(fields=["survey", "region"]),
        ]

    def __str__(self):
        return f"Response {self.pk} to {self.survey_id}"


class Answer(models.Model):
    """One counted category (a multiple-choice answer is a row per choice), a number with its
    band, or free text."""

    wagtail_reference_index_ignore = True

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(SurveyQuestion, on_delete=models.CASCADE, related_name="answers")
    value = models.CharField(max_length=80, blank=True)
    number = models.IntegerField(null=True, blank=True)
    text = models.TextField(max_length=5000, blank=True)

    class Meta:
        indexes = [models.Index(fields=["question", "value"])]

    def __str__(self):
        return f"Answer {self.pk} to question {self.question_id}"


class PublishedQuote(models.Model):
    """A free-text answer an editor chose to show with the results (copied: it outlives the
    answer's retention)."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="quotes")
    question = models.ForeignKey(
        SurveyQuestion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answer = models.OneToOneField(
        Answer, null=True, blank=True, on_delete=models.SET_NULL, related_name="quote"
    )
    text = models.TextField(max_length=5000)
    picked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    picked_at = models.DateTimeField(default=timezone.now)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self):
        return self.text[:60]


class RawExportLog(models.Model):
    """Every export of raw responses: who, when, how many."""

    survey = models.ForeignKey(SurveyPage, on_delete=models.CASCADE, related_name="export_logs")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    exported_at = models.DateTimeField(default=timezone.now)
    rows = models.PositiveIntegerField()

    class Meta:
        ordering = ["-exported_at"]

    def __str__(self):
        return f"{self.rows} responses to {self.survey_id}, {self.exported_at:%Y-%m-%d %H:%M}"


class PooledResultsPage(RoutablePageMixin, Page):
    """Results pooled from several networks' surveys over the bank questions they share."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ol", "ul"])
    method = RichTextField(
        "note of method",
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Anything more to say about how they were pooled; the surveys, their dates "
        "and how many answered each are listed for you.",
    )
    bank_questions = ParentalManyToManyField(
        BankQuestion,
        blank=True,
        related_name="+",
        help_text="Leave empty to pool every bank question the surveys share.",
    )
    min_cell_size = models.PositiveSmallIntegerField(
        "smallest number shown",
        default=default_min_cell_size,
        validators=[MinValueValidator(MIN_CELL_FLOOR)],
    )
    topics = ParentalManyToManyField("hub.Topic", blank=True, related_name="+")

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        InlinePanel("pooled_surveys", heading="Surveys", label="survey", min_num=2),
        FieldPanel("bank_questions", widget=forms.CheckboxSelectMultiple),
        FieldPanel("min_cell_size"),
        FieldPanel("method"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["surveys.SurveyIndexPage"]
    subpage_types = []
    page_description = "Results pooled across several networks' surveys."

    class Meta:
        verbose_name = "pooled results"
        verbose_name_plural = "pooled results"

    @path("")
    @method_decorator(require_safe)
    def index(self, request):
        return publishing.pooled_results(request, self)

    @re_path(r"^results\.csv/?$", name="results_csv")
    @method_decorator(require_safe)
    def results_csv(self, request):
        return publishing.pooled_results_csv(request, self)

    @re_path(r"^results/(?P<bank_slug>[-\w]+)\.(?P<image_format>\w+)/?$", name="results_chart")
    @method_decorator(require_safe)
    def results_chart(self, request, bank_slug, image_format):
        return publishing.pooled_chart(request, self, bank_slug, image_format)


class PooledSurvey(Orderable):
    page = ParentalKey(PooledResultsPage, on_delete=models.CASCADE, related_name="pooled_surveys")
    survey = models.ForeignKey(SurveyPage, on_delete=models.PROTECT, related_name="+")

    panels = [FieldPanel("survey")]


__all__ = [
    "MIN_CELL_FLOOR",
    "Answer",
    "BankQuestion",
    "PooledResultsPage",
    "PooledSurvey",
    "PublishedQuote",
    "RawExportLog",
    "Response",
    "RetentionAction",
    "SurveyIndexPage",
    "SurveyPage",
    "SurveyQuestion",
    "QuestionKind",
]

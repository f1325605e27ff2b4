"""Demo surveys: a question bank; a closed survey of about 650 talking-therapy workers, its
results published with a few picked quotes; a second network's closed survey asking some of
the same bank questions; an open anonymous survey from the hub; and results pooled across the
two networks' surveys, under /surveys/.

Responses are made in bulk from a fixed random seed, so every demo counts the same, with a few
small cells (carers in most regions) that the results hide. Idempotent: what exists is left as
it is.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from hub.demo import demo_index
from hub.models import Topic
from hub.regions import REGIONS
from hub.roles import Role
from networks.models import NetworkPage

from .models import (
    Answer,
    BankQuestion,
    PooledResultsPage,
    PooledSurvey,
    PublishedQuote,
    Response,
    SurveyIndexPage,
    SurveyPage,
    SurveyQuestion,
)
from .questions import AGREEMENT, QuestionKind

# slug, kind, prompt, choices, help text
BANK = [
    ("role", QuestionKind.ROLE, "Which of these best describes you?", "", ""),
    ("uk-region", QuestionKind.REGION, "Where in the UK do you work or live?", "", ""),
    (
        "asked-unpaid-hours",
        QuestionKind.AGREEMENT,
        "I have been asked to work unpaid hours",
        "",
        "Hours beyond your contract that you were not paid for, asked outright or expected.",
    ),
    (
        "unpaid-hours-a-week",
        QuestionKind.NUMBER,
        "How many hours of unpaid work do you do in a typical week?",
        "0-1\n2-4\n5-9\n10+",
        "Round to the nearest hour.",
    ),
    (
        "waiting-list-18-weeks",
        QuestionKind.SINGLE,
        "My service has a waiting list of over 18 weeks",
        "Yes\nNo\nI do not know",
        "",
    ),
]

# Each role's share of respondents (out of 100), and how likely it is to agree it was asked
# to work unpaid hours.
ROLES = {
    Role.WORKER: (86, 0.75),
    Role.SERVICE_USER: (6, 0.2),
    Role.CARER: (3, 0.1),
    Role.OTHER: (5, 0.4),
}
# Most respondents are in England's regions with large services; a few elsewhere.
REGION_WEIGHTS = {
    "north-east": 6, "north-west": 14, "yorkshire-and-the-humber": 10, "east-midlands": 8,
    "west-midlands": 10, "east-of-england": 7, "london": 18, "south-east": 12, "south-west": 7,
    "scotland": 4, "wales": 3, "northern-ireland": 1,
}  # fmt: skip
FREE_TEXT = [
    "I stay late most nights to write up notes because the clinic day is all sessions.",
    "We are told the targets come first and the waiting list is someone else's problem.",
    "Six sessions is not enough for most of the people I see, and everyone knows it.",
    "I love the work but I cannot keep doing it on these hours.",
    "Supervision gets cancelled first when the numbers are down.",
    "I was told that unpaid overtime shows commitment.",
    "People wait so long that by the time they reach us things have got much worse.",
    "Our team lost three therapists this year and none were replaced.",
]
QUOTES = [0, 4, 6]


@dataclass
class SurveySpec:
    network: str | None  # None for the hub's own survey, under /surveys/
    title: str
    slug: str
    intro: str
    data_holder: str
    opened_days_ago: int
    closes_in_days: int  # negative once closed
    responses: int
    bank: list[str]
    own_text: str = ""  # a free-text question of the survey's own
    publish_results: bool = False
    share_in_pools: bool = False
    topics: tuple[str, ...] = ()
    seed: int = 0


SURVEYS = [
    SurveySpec(
        network="Union of Talking Therapy Workers",
        title="Talking therapy workers' survey 2026",
        slug="talking-therapy-workers-survey-2026",
        intro="<p>Our survey of people who work in NHS Talking Therapies (formerly IAPT): "
        "hours, caseloads and waiting lists, as members see them.</p>",
        data_holder="Union of Talking Therapy Workers",
        opened_days_ago=150,
        closes_in_days=-90,
        responses=650,
        bank=[
            "role",
            "uk-region",
            "asked-unpaid-hours",
            "unpaid-hours-a-week",
            "waiting-list-18-weeks",
        ],  # fmt: skip
        own_text="What one change would make the most difference to your work?",
        publish_results=True,
        share_in_pools=True,
        topics=("iapt-and-talking-therapies", "workforce-pay-and-conditions"),
        seed=18,
    ),
    SurveySpec(
        network="Northern Counsellors' Alliance",
        title="Counsellors' working hours",
        slug="counsellors-working-hours",
        intro="<p>How much unpaid work do counsellors in the north do? We asked the questions "
        "the coalition's bank asks, so the answers can be pooled.</p>",
        data_holder="Northern Counsellors' Alliance",
        opened_days_ago=120,
        closes_in_days=-60,
        responses=240,
        bank=["role", "uk-region", "asked-unpaid-hours", "unpaid-hours-a-week"],
        publish_results=True,
        topics=("workforce-pay-and-conditions",),
        seed=19,
    ),
    SurveySpec(
        network=None,
        title="Waiting for therapy: what you see",
        slug="waiting-for-therapy",
        intro="<p>Are people waiting longer for talking therapy where you are? Tell us: it "
        "takes two minutes and you need no account.</p>",
        data_holder="The Free Association hub",
        opened_days_ago=5,
        closes_in_days=30,
        responses=14,
        bank=["role", "uk-region", "waiting-list-18-weeks"],
        own_text="Anything else you want to tell us about waiting times?",
        topics=("iapt-and-talking-therapies",),
        seed=20,
    ),
]
POOLED_TITLE = "Pooled: unpaid work across two networks"


def seed_surveys() -> dict[str, int]:
    bank = _seed_bank()
    index = _seed_index()
    surveys = [_seed_survey(spec, bank=bank, index=index) for spec in SURVEYS]
    pooled = [survey for survey in surveys if survey is not None and survey.publish_results]
    if len(pooled) >= 2:
        _seed_pooled(index=index, surveys=pooled)
    return {
        "surveys": SurveyPage.objects.live().count(),
        "survey responses": Response.objects.count(),
    }


def _seed_bank() -> dict[str, BankQuestion]:
    bank = {}
    for slug, kind, prompt, choices, help_text in BANK:
        bank[slug], _ = BankQuestion.objects.get_or_create(
            slug=slug,
            defaults={"kind": kind, "prompt": prompt, "choices": choices, "help_text": help_text},
        )
    return bank


def _seed_index() -> SurveyIndexPage:
    return demo_index(
        SurveyIndexPage,
        title="Surveys",
        slug="surveys",
        intro="<p>What workers and people who use services report, asked by the networks "
        "and counted safely: small numbers are never shown.</p>",
    )


def _seed_survey(spec: SurveySpec, *, bank, index) -> SurveyPage | None:
    if spec.network is None:
        parent = index
    else:
        parent = NetworkPage.objects.live().filter(title=spec.network).first()
        if parent is None:
            return None
    existing = SurveyPage.objects.child_of(parent).filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    now = timezone.now()
    questions = [
        SurveyQuestion(
            bank_question=bank[slug], kind=bank[slug].kind, prompt=bank[slug].prompt,
            choices=bank[slug].choices, help_text=bank[slug].help_text, required=slug == "role",
            sort_order=number,
        )
        for number, slug in enumerate(spec.bank)
    ]  # fmt: skip
    if spec.own_text:
        questions.append(
            SurveyQuestion(kind=QuestionKind.TEXT, prompt=spec.own_text, sort_order=len(questions))
        )
    survey = SurveyPage(
        title=spec.title,
        slug=spec.slug,
        intro=spec.intro,
        consent="Your answers are counted with everyone else's and published only as totals: "
        "any number smaller than ten is hidden. Written answers are read by the survey's "
        "organisers; a few may be quoted, without anything that says who wrote them.",
        data_holder=spec.data_holder,
        opens_at=now - timedelta(days=spec.opened_days_ago),
        closes_at=now + timedelta(days=spec.closes_in_days),
        # Demo answers are kept long past any demo: retention is shown, not run.
        retention_days=3650,
        publish_results=spec.publish_results,
        share_in_pools=spec.share_in_pools,
        results_intro="<p>The counts below are of everyone who answered. Where fewer than "
        "ten people gave an answer, the number is hidden, and so is any number that would "
        "reveal it.</p>"
        if spec.publish_results
        else "",
        questions=questions,
        topics=list(Topic.objects.filter(slug__in=spec.topics)),
    )
    parent.add_child(instance=survey)
    survey.save_revision().publish()
    _seed_responses(survey, spec=spec)
    return survey


def _seed_responses(survey: SurveyPage, *, spec: SurveySpec) -> None:
    rng = random.Random(spec.seed)  # noqa: S311 -- demo data, not security
    questions = list(survey.questions.order_by("sort_order"))
    roles, role_weights = zip(*[(role, weight) for role, (weight, _) in ROLES.items()], strict=True)
    regions = [slug for _, slug, _ in REGIONS]
    region_weights = [REGION_WEIGHTS[slug] for slug in regions]
    window = (survey.closes_at if spec.closes_in_days < 0 else timezone.now()) - survey.opens_at
    responses, answers_of = [], []
    for _ in range(spec.responses):
        role = rng.choices(roles, role_weights)[0]
        region = rng.choices(regions, region_weights)[0]
        submitted = survey.opens_at + window * rng.random()
        answers = [
            answer
            for question in questions
            if (answer := _answer(question, role=role, region=region, rng=rng)) is not None
        ]
        asked = {q.kind for q in questions}
        responses.append(
            Response(
                survey=survey, submitted_at=submitted, updated_at=submitted,
                role=role if QuestionKind.ROLE in asked else "",
                region=region if QuestionKind.REGION in asked else "",
            )
        )  # fmt: skip
        answers_of.append(answers)
    Response.objects.bulk_create(responses, batch_size=500)
    for response, answers in zip(responses, answers_of, strict=True):
        for answer in answers:
            answer.response = response
    Answer.objects.bulk_create([a for answers in answers_of for a in answers], batch_size=1000)
    if spec.publish_results and spec.own_text:
        written = list(
            Answer.objects.filter(response__survey=survey, question__kind=QuestionKind.TEXT)
            .exclude(text="")
            .order_by("pk")
        )
        for order, index in enumerate(QUOTES):
            answer = next((a for a in written if a.text == FREE_TEXT[index]), None)
            if answer is not None:
                PublishedQuote.objects.create(
                    survey=survey, question_id=answer.question_id, answer=answer,
                    text=answer.text, sort_order=order,
                )  # fmt: skip


def _answer(question: SurveyQuestion, *, role: str, region: str, rng) -> Answer | None:
    agrees = ROLES[role][1]
    if question.kind == QuestionKind.ROLE:
        return Answer(question=question, value=role)
    if question.kind == QuestionKind.REGION:
        return Answer(question=question, value=region)
    if question.kind == QuestionKind.AGREEMENT:
        weights = [agrees * 0.5, agrees * 0.5, 0.1, (1 - agrees) * 0.6, (1 - agrees) * 0.4]
        return Answer(question=question, value=rng.choices(AGREEMENT, weights)[0][0])
    if question.kind == QuestionKind.NUMBER:
        hours = max(0, round(rng.gauss(5 * agrees, 3)))
        return Answer(question=question, number=hours, value=question.band_of(hours))
    if question.kind == QuestionKind.SINGLE:
        values = [value for value, _ in question.categories()]
        return Answer(question=question, value=rng.choices(values, [7, 2, 1])[0])
    if question.kind == QuestionKind.TEXT and rng.random() < 0.3:
        return Answer(question=question, text=rng.choice(FREE_TEXT))
    return None


def _seed_pooled(*, index: SurveyIndexPage, surveys: list[SurveyPage]) -> None:
    if PooledResultsPage.objects.filter(title=POOLED_TITLE).exists():
        return
    page = PooledResultsPage(
        title=POOLED_TITLE,
        slug="unpaid-work-across-two-networks",
        intro="<p>Two networks asked their members the coalition's bank questions on unpaid "
        "work. Counted together, the answers carry more weight than either survey alone.</p>",
        method="<p>Only questions both surveys asked from the bank are pooled, worded the "
        "same way. The Union of Talking Therapy Workers agreed to show its own column; the "
        "Northern Counsellors' Alliance's answers count in the totals only.</p>",
        pooled_surveys=[
            PooledSurvey(survey=survey, sort_order=number) for number, survey in enumerate(surveys)
        ],
        topics=list(Topic.objects.filter(slug="workforce-pay-and-conditions")),
    )
    index.add_child(instance=page)
    page.save_revision().publish()

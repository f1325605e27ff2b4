"""What a survey can ask: the kinds of question that can be counted, and their categories.

Every countable answer is stored as one of its question's category values (a number as the band
it falls in), so results are counts of (question, value) and nothing else.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import slugify

from hub.regions import REGIONS
from hub.roles import Role

# No published figure about people is ever below this, whatever a survey's editor sets
# (kept here, below the models, so that what publishes results can read it).
MIN_CELL_FLOOR = 5


class QuestionKind(models.TextChoices):
    SINGLE = "single", "One choice"
    MULTIPLE = "multiple", "Several choices"
    AGREEMENT = "agreement", "Agreement scale"
    NUMBER = "number", "A number"
    REGION = "region", "UK nation or region"
    ROLE = "role", "I am a worker, a person who uses services, a carer…"
    TEXT = "text", "Free text (never published by itself)"


AGREEMENT = [
    ("strongly-agree", "Strongly agree"),
    ("agree", "Agree"),
    ("neither", "Neither agree nor disagree"),
    ("disagree", "Disagree"),
    ("strongly-disagree", "Strongly disagree"),
]

# Kinds whose answers are counted; free text is only ever read by editors.
COUNTED_KINDS = frozenset(kind for kind in QuestionKind.values if kind != QuestionKind.TEXT)
# Kinds whose categories the editor types (a line each); the others are fixed.
TYPED_KINDS = frozenset({QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.NUMBER})

_BAND = re.compile(r"^\s*(\d+)\s*(?:-|–|to)\s*(\d+)\s*$|^\s*(\d+)\s*\+\s*$")


def number_bands(lines: list[str]) -> list[tuple[str, str, int, int | None]]:
    """Bands typed as "0-4", "5 to 9" or "10+", a line each: (value, label, low, high or None).

    Raises ValidationError unless they are in order, do not overlap and only the last is open.
    """
    bands = []
    for line in lines:
        match = _BAND.match(line)
        if not match:
            raise ValidationError(f"“{line}” is not a band: write 0-4, 5 to 9 or 10+.")
        if match.group(3) is not None:
            low, high = int(match.group(3)), None
        else:
            low, high = int(match.group(1)), int(match.group(2))
            if high < low:
                raise ValidationError(f"“{line}” ends before it starts.")
        if bands and (bands[-1][3] is None or low <= bands[-1][3]):
            raise ValidationError(
                "Put the bands in order, without overlaps; only the last can end with +."
            )
        value = f"{low}-{high}" if high is not None else f"{low}-plus"
        label = f"{low} to {high}" if high is not None else f"{low} or more"
        bands.append((value, label, low, high))
    return bands


def typed_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class QuestionFields(models.Model):
    """What a question asks, shared by the question bank and a survey's own questions."""

    kind = models.CharField(max_length=12, choices=QuestionKind.choices)
    prompt = models.CharField("question", max_length=300)
    help_text = models.CharField("hint", max_length=300, blank=True)
    choices = models.TextField(
        blank=True,
        max_length=3000,
        help_text="For one choice or several choices, an answer a line. For a number, bands a "
        "line: 0-4, 5-9, 10+. Other kinds have their own answers.",
    )

    class Meta:
        abstract = True

    def __str__(self):
        return self.prompt

    @property
    def is_counted(self) -> bool:
        return self.kind in COUNTED_KINDS

    def categories(self) -> list[tuple[str, str]]:
        """The (value, label) pairs an answer is counted under, in the order shown."""
        if self.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
            return [
                (slugify(line)[:80] or str(n), line)
                for n, line in enumerate(typed_lines(self.choices), 1)
            ]
        if self.kind == QuestionKind.NUMBER:
            return [
                (value, label) for value, label, _, _ in number_bands(typed_lines(self.choices))
            ]
        if self.kind == QuestionKind.AGREEMENT:
            return list(AGREEMENT)
        if self.kind == QuestionKind.REGION:
            return [(slug, name) for _, slug, name in REGIONS]
        if self.kind == QuestionKind.ROLE:
            return list(Role.choices)
        return []

    def band_of(self, number: int) -> str | None:
        """The value of the band `number` falls in, or None when it falls in none."""
        for value, _, low, high in number_bands(typed_lines(self.choices)):
            if number >= low and (high is None or number <= high):
                return value
        return None

    def clean(self):
        super().clean()
        lines = typed_lines(self.choices)
        if self.kind in TYPED_KINDS and len(lines) < 2:
            raise ValidationError({"choices": "Give at least two answers or bands, a line each."})
        if self.kind not in TYPED_KINDS and lines:
            raise ValidationError(
                {"choices": "This kind of question has its own answers: leave this empty."}
            )
        if self.kind == QuestionKind.NUMBER:
            try:
                number_bands(lines)
            except ValidationError as error:
                raise ValidationError({"choices": error.messages}) from error
        values = [value for value, _ in self.categories()]
        if len(values) != len(set(values)):
            raise ValidationError({"choices": "Two answers are the same: make each one different."})

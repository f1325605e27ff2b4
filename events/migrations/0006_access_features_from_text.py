"""Existing events keep their access text as it is, and get the features it plainly names
ticked: a phrase counts only where no "no", "not" or "without" comes before it in its clause,
and a bare "BSL" counts as on request, never as booked (a wrong "booked" would bring someone
who then finds no interpreter)."""

import re

from django.db import migrations

# slug: phrases, as regular expressions matched case-insensitively on word boundaries.
PHRASES = {
    "step-free": [r"step[- ]?free", r"level access", r"wheelchair[- ]accessible"],
    "accessible-toilet": [r"(?:accessible|disabled) (?:toilets?|loos?|wcs?)"],
    "hearing-loop": [r"(?:hearing|induction|audio) loops?"],
    "bsl-booked": [
        r"(?:bsl|british sign language) (?:interpreters? )?(?:is |are |has been |have been )?"
        r"(?:booked|confirmed)",
        r"(?:bsl|british sign language)[- ]interpreted",
    ],
    "bsl-on-request": [r"bsl", r"british sign language"],
    "live-captions": [r"(?:live )?captions?", r"captioned", r"speech[- ]to[- ]text"],
    "quiet-room": [r"quiet (?:room|space|area)s?", r"chill[- ]out (?:room|space)s?"],
    "seating-and-breaks": [
        r"seating and breaks",
        r"(?:regular|frequent|plenty of|lots of) breaks",
        r"breaks (?:every|each|throughout)",
    ],
    "childcare": [r"child ?care", r"cr[eè]che"],
    "travel-support": [
        r"travel (?:costs?|expenses|support|bursar(?:y|ies)|reimbursed|paid|covered)",
        r"bursar(?:y|ies)",
        r"(?:fares|expenses) (?:paid|covered|reimbursed)",
    ],
    "food": [
        r"(?:food|lunch|refreshments|snacks|dinner|breakfast|tea and coffee) "
        r"(?:is |are |will be )?(?:provided|included|available|served)",
        r"free (?:food|lunch|refreshments|snacks)",
    ],
    "peer-led": [r"peer[- ]led", r"led by peers"],
    "trauma-informed": [r"trauma[- ]informed"],
}
NEGATION = re.compile(
    r"\b(?:no|not|without|unfortunately|sadly|unable|cannot)\b|n['’]t\b", re.IGNORECASE
)
# Clauses end at sentence ends, semicolons, commas, new lines and "but".
CLAUSE = re.compile(r"[.!?;,\n]+|\bbut\b", re.IGNORECASE)
PATTERNS = {
    slug: re.compile(r"\b(?:" + "|".join(phrases) + r")\b", re.IGNORECASE)
    for slug, phrases in PHRASES.items()
}


def features_named(text: str) -> set[str]:
    """The slugs of the features `text` plainly says the event has."""
    found = set()
    for clause in CLAUSE.split(text or ""):
        for slug, pattern in PATTERNS.items():
            match = pattern.search(clause)
            if match and not NEGATION.search(clause[: match.start()]):
                found.add(slug)
    if "bsl-booked" in found:
        found.discard("bsl-on-request")
    return found


def tick(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    AccessFeature = apps.get_model("events", "AccessFeature")
    through = EventPage._meta.get_field("access_features").remote_field.through
    features = dict(AccessFeature.objects.values_list("slug", "pk"))
    rows = [
        through(eventpage_id=event_id, accessfeature_id=features[slug])
        for event_id, text in EventPage.objects.exclude(accessibility="").values_list(
            "pk", "accessibility"
        )
        for slug in sorted(features_named(text))
        if slug in features
    ]
    through.objects.bulk_create(rows, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [("events", "0005_private_address_help")]

    operations = [migrations.RunPython(tick, migrations.RunPython.noop)]

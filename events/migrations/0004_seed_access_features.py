"""The starting list of access and safety features, and hybrid places for existing events:
an online event's places and replies become online ones."""

from django.db import migrations

# (slug, name, kind, schema.org accessibilityFeature)
FEATURES = [
    ("step-free", "Step-free access", "access", ""),
    ("accessible-toilet", "Accessible toilet", "access", ""),
    ("hearing-loop", "Hearing loop", "access", ""),
    ("bsl-on-request", "BSL interpretation on request", "access", ""),
    ("bsl-booked", "BSL interpretation booked", "access", "signLanguage"),
    ("live-captions", "Live captions", "access", "captions"),
    ("quiet-room", "Quiet room", "access", ""),
    ("seating-and-breaks", "Seating and breaks", "access", ""),
    ("childcare", "Childcare", "access", ""),
    ("travel-support", "Travel or bursary support", "access", ""),
    ("food", "Food provided", "access", ""),
    ("peer-led", "Peer-led", "safety", ""),
    ("trauma-informed", "Trauma-informed", "safety", ""),
]


def seed(apps, schema_editor):
    AccessFeature = apps.get_model("events", "AccessFeature")
    for order, (slug, name, kind, schema_org) in enumerate(FEATURES):
        AccessFeature.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "icon": slug,
                "schema_org_feature": schema_org,
                "sort_order": order,
            },
        )
    EventPage = apps.get_model("events", "EventPage")
    Rsvp = apps.get_model("events", "Rsvp")
    online = EventPage.objects.filter(format="online")
    for event in online.exclude(capacity=None):
        event.online_capacity, event.capacity = event.capacity, None
        event.save(update_fields=["online_capacity", "capacity"])
    Rsvp.objects.filter(event__format="online").update(attendance="online")


def unseed(apps, schema_editor):
    EventPage = apps.get_model("events", "EventPage")
    for event in EventPage.objects.filter(format="online").exclude(online_capacity=None):
        event.capacity, event.online_capacity = event.online_capacity, None
        event.save(update_fields=["online_capacity", "capacity"])


class Migration(migrations.Migration):
    dependencies = [("events", "0003_access_safety_hybrid_private")]

    operations = [migrations.RunPython(seed, unseed)]

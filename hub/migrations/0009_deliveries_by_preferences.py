from django.db import migrations
from django.db.models import OuterRef, Subquery


def by_preferences(apps, schema_editor):
    DigestDelivery = apps.get_model("hub", "DigestDelivery")
    MemberPreferences = apps.get_model("hub", "MemberPreferences")
    DigestDelivery.objects.update(
        preferences_id=Subquery(
            MemberPreferences.objects.filter(user_id=OuterRef("user_id")).values("pk")[:1]
        )
    )
    # A delivery whose member has no preferences any more can never be looked at again.
    DigestDelivery.objects.filter(preferences__isnull=True).delete()


def by_user(apps, schema_editor):
    DigestDelivery = apps.get_model("hub", "DigestDelivery")
    MemberPreferences = apps.get_model("hub", "MemberPreferences")
    DigestDelivery.objects.update(
        user_id=Subquery(
            MemberPreferences.objects.filter(pk=OuterRef("preferences_id")).values("user_id")[:1]
        )
    )
    # Subscribers without an account, and their deliveries, cannot go back to before 0008.
    DigestDelivery.objects.filter(user__isnull=True).delete()
    MemberPreferences.objects.filter(user__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("hub", "0008_subscribers")]

    operations = [migrations.RunPython(by_preferences, by_user)]

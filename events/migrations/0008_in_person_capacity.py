"""A hybrid event's places in the room and online are counted apart: `capacity` was the room's.

Revisions keep a page's fields by name, and an editor opening an event edits its latest revision:
without renaming the key there too, the next publish would quietly drop the event's limit. An
online event's old revisions get the move migration 0004 made on its row."""

from django.db import migrations, models


def revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="events", model="eventpage").first()
    return Revision.objects.filter(content_type=content_type).iterator()


def forwards(apps, schema_editor):
    for revision in revisions(apps):
        content = revision.content
        if "capacity" not in content:
            continue
        value = content.pop("capacity")
        if content.get("format") == "online":
            if content.get("online_capacity") is None:
                content["online_capacity"] = value
            value = None
        content["in_person_capacity"] = value
        revision.save(update_fields=["content"])


def backwards(apps, schema_editor):
    for revision in revisions(apps):
        if "in_person_capacity" in revision.content:
            revision.content["capacity"] = revision.content.pop("in_person_capacity")
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_access_feature_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RenameField(
            model_name="eventpage", old_name="capacity", new_name="in_person_capacity"
        ),
        migrations.AlterField(
            model_name="eventpage",
            name="in_person_capacity",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="Places in the room through RSVP; later replies join a waiting list. "
                "Leave empty for no limit.",
                null=True,
                verbose_name="in-person places",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]

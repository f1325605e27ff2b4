from django.db import migrations


def forget_signatures(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ReferenceIndex = apps.get_model("wagtailcore", "ReferenceIndex")
    signature = ContentType.objects.filter(app_label="campaigns", model="signature").first()
    if signature is not None:
        ReferenceIndex.objects.filter(base_content_type=signature).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(forget_signatures, migrations.RunPython.noop)]

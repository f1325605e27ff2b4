from django.db import migrations

from hub.regions import REGIONS


def load_regions(apps, schema_editor):
    Region = apps.get_model("hub.Region")
    for order, (nation, slug, name) in enumerate(REGIONS):
        Region.objects.update_or_create(
            slug=slug, defaults={"name": name, "nation": nation, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("hub", "0004_region")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]

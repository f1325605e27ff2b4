"""Each demand's free-text `addressed_to` becomes a target: one target per distinct value (told
apart regardless of case and spacing), linked to every demand that named it.

Revisions keep a page's fields by name, and an editor opening a demand edits its latest
revision: the values of the demands' latest revisions (an unpublished draft may name someone
new) make targets too, and every revision names the target its own value matches, so the next
publish, or a revert, keeps it. A value found only in an older revision makes no target (it
would list a body no demand names): that revision names none. A demand or revision that already
names targets keeps them (as after undoing this and doing it again)."""

from django.db import migrations

from hub.slugs import slug_free

SLUG_MAX = 200


def normal(value) -> str:
    return " ".join(str(value or "").split())


def demand_revisions(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Revision = apps.get_model("wagtailcore", "Revision")
    content_type = ContentType.objects.filter(app_label="campaigns", model="demandpage").first()
    return Revision.objects.filter(content_type=content_type).order_by("object_id", "pk")


def latest_revision_values(apps) -> list[str]:
    DemandPage = apps.get_model("campaigns", "DemandPage")
    latest = demand_revisions(apps).filter(
        pk__in=DemandPage.objects.values("latest_revision_id")
    )
    return [
        content.get("addressed_to")
        for content in latest.values_list("content", flat=True)
        if not content.get("targets")
    ]


def free_slug(name: str, taken: set[str]) -> str:
    slug = slug_free(name, taken=taken.__contains__, max_length=SLUG_MAX, fallback="target")
    taken.add(slug)
    return slug


def targets_by_value(apps, values) -> dict[str, int]:
    """The target for each value, lowercased: an existing one of that name, or a new one."""
    Target = apps.get_model("targets", "Target")
    found = {target.name.lower(): target.pk for target in Target.objects.all()}
    taken = set(Target.objects.values_list("slug", flat=True))
    for value in values:
        name = normal(value)
        if name and name.lower() not in found:
            target = Target.objects.create(name=name, slug=free_slug(name, taken))
            found[name.lower()] = target.pk
    return found


def forwards(apps, schema_editor):
    DemandPage = apps.get_model("campaigns", "DemandPage")
    through = DemandPage.targets.through
    untargeted = DemandPage.objects.exclude(pk__in=through.objects.values("demandpage_id"))
    rows = list(untargeted.order_by("path").values_list("pk", "addressed_to"))
    targets = targets_by_value(
        apps, [value for _pk, value in rows] + latest_revision_values(apps)
    )
    links = [
        through(demandpage_id=pk, target_id=targets[normal(value).lower()])
        for pk, value in rows
        if normal(value)
    ]
    through.objects.bulk_create(links, ignore_conflicts=True)
    for revision in demand_revisions(apps).iterator():
        content = revision.content
        if "addressed_to" not in content:
            continue
        value = content.pop("addressed_to")
        if not content.get("targets"):
            target = targets.get(normal(value).lower())
            content["targets"] = [target] if target is not None else []
        revision.save(update_fields=["content"])


def joined(names: list[str]) -> str:
    return " and ".join(filter(None, [", ".join(names[:-1]), *names[-1:]]))


def backwards(apps, schema_editor):
    DemandPage = apps.get_model("campaigns", "DemandPage")
    Target = apps.get_model("targets", "Target")
    names = dict(Target.objects.values_list("pk", "name"))
    for demand in DemandPage.objects.prefetch_related("targets"):
        value = joined([target.name for target in demand.targets.order_by("name")])
        DemandPage.objects.filter(pk=demand.pk).update(addressed_to=value[:200])
    for revision in demand_revisions(apps).iterator():
        pks = revision.content.get("targets") or []
        chosen = sorted(names[pk] for pk in pks if pk in names)
        revision.content["addressed_to"] = joined(chosen)[:200]
        revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0008_demand_targets"),
        ("targets", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

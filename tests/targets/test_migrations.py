"""campaigns 0009-0010: each demand's free-text `addressed_to` becomes a target, in the rows
and in the stored revisions an editor would publish or revert to."""

from contextlib import contextmanager

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Revision

from campaigns.factories import DemandPageFactory
from campaigns.models import DemandPage
from targets.models import Target

BEFORE = [("campaigns", "0008_demand_targets")]


def set_revision(revision, addressed_to):
    """A revision as saved before targets existed: its text, and no `targets` key."""
    content = {**revision.content, "addressed_to": addressed_to}
    content.pop("targets", None)
    Revision.objects.filter(pk=revision.pk).update(content=content)


def names(pks) -> list[str]:
    return sorted(Target.objects.filter(pk__in=pks).values_list("name", flat=True))


@contextmanager
def before_targets():
    """The database as before 0009 for the block, given the models of then; as now after it."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate(BEFORE)
        yield executor.loader.project_state(BEFORE).apps
    finally:
        executor.loader.build_graph()
        executor.migrate(leaves)


# Migrations run outside the test's transaction; serialized_rollback restores the rows the
# other transactional tests expect (the home page, content types) afterwards.
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_each_distinct_addressee_becomes_one_target_for_rows_and_revisions():
    Target.objects.create(name="BACP", slug="bacp")
    nhs, variant, hyphen, dhsc, blank, bacp = DemandPageFactory.create_batch(6)
    revisions = {demand.pk: demand.save_revision() for demand in (nhs, variant, hyphen, dhsc, bacp)}
    draft = dhsc.save_revision()
    older = nhs.save_revision()
    latest = nhs.save_revision()
    with before_targets() as apps:
        old = apps.get_model("campaigns", "DemandPage")
        for demand, text in [(nhs, "NHS England"), (variant, " nhs   england "),
                             (hyphen, "NHS-England"), (dhsc, "Department of Health"),
                             (blank, ""), (bacp, "bacp")]:  # fmt: skip
            old.objects.filter(pk=demand.pk).update(addressed_to=text)
        for pk, revision in revisions.items():
            set_revision(revision, old.objects.get(pk=pk).addressed_to)
        set_revision(draft, "The Secretary of State, bacp")
        set_revision(older, "The minister")
        set_revision(latest, "NHS England")

    # One target per value, told apart regardless of case and spacing, an existing one reused.
    assert sorted(Target.objects.values_list("name", "slug")) == [
        ("BACP", "bacp"),
        ("Department of Health", "department-of-health"),
        ("NHS England", "nhs-england"),
        ("NHS-England", "nhs-england-2"),
        # Only in a draft, but the draft is what the editor publishes next.
        ("The Secretary of State, bacp", "the-secretary-of-state-bacp"),
    ]
    expected = {nhs: ["NHS England"], variant: ["NHS England"], hyphen: ["NHS-England"],
                dhsc: ["Department of Health"], blank: [], bacp: ["BACP"]}  # fmt: skip
    for demand, named in expected.items():
        demand = DemandPage.objects.get(pk=demand.pk)
        assert sorted(target.name for target in demand.targets.all()) == named
    for pk, revision in revisions.items():
        content = Revision.objects.get(pk=revision.pk).content
        assert "addressed_to" not in content
        assert names(content["targets"]) == expected[DemandPage.objects.get(pk=pk)]
    # What an editor opening the draft edits, and would publish.
    opened = Revision.objects.get(pk=draft.pk).as_object()
    assert [target.name for target in opened.targets.all()] == ["The Secretary of State, bacp"]
    # A value found only in an older revision makes no target; that revision names none.
    assert Revision.objects.get(pk=older.pk).content["targets"] == []
    assert names(Revision.objects.get(pk=latest.pk).content["targets"]) == ["NHS England"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_undone_the_targets_are_written_back_as_text_and_redone_kept():
    demand = DemandPageFactory()
    demand.targets.set(
        [Target.objects.create(name=name, slug=slug) for name, slug in
         [("NHS England", "nhs-england"), ("BACP", "bacp"), ("UKCP", "ukcp")]]
    )  # fmt: skip
    demand.save()
    revision = demand.save_revision()
    with before_targets() as apps:
        old = apps.get_model("campaigns", "DemandPage")
        assert old.objects.get(pk=demand.pk).addressed_to == "BACP, NHS England and UKCP"
        content = Revision.objects.get(pk=revision.pk).content
        assert content["addressed_to"] == "BACP, NHS England and UKCP"
    # Done again, the demand and its revision keep their targets: the text makes none.
    assert Target.objects.count() == 3
    assert DemandPage.objects.get(pk=demand.pk).targets.count() == 3
    assert len(Revision.objects.get(pk=revision.pk).content["targets"]) == 3

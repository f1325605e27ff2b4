from celery import shared_task

from . import services, thresholds
from .models import DemandPage


@shared_task
def fold_signature_counts():
    return services.tally_fold_all()


@shared_task
def recount_signatures():
    demand_ids = DemandPage.objects.values_list("pk", flat=True)
    return sum(abs(drift) for drift in services.tally_recount_all(demand_ids=demand_ids).values())


@shared_task
def purge_unconfirmed_signatures():
    return services.signatures_purge_unconfirmed()


@shared_task
def record_milestones(*, demand_id):
    return thresholds.milestones_record(demand_id=demand_id)


@shared_task
def announce_milestone(*, demand_id, count):
    return thresholds.milestone_announce(demand_id=demand_id, count=count)


@shared_task
def sweep_milestones():
    # Recorded first, so that what this run records is announced by its own tasks.
    thresholds.milestones_record_all()
    return thresholds.milestones_announce_missed()

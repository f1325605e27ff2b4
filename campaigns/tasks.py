from celery import shared_task

from . import services
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

from celery import shared_task

from . import services


@shared_task
def fold_signature_counts():
    return services.tally_fold_all()


@shared_task
def recount_signatures():
    return sum(abs(drift) for drift in services.tally_recount_all().values())


@shared_task
def purge_unconfirmed_signatures():
    return services.signatures_purge_unconfirmed()

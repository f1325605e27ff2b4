from celery import shared_task

from . import outcomes


@shared_task
def announce_pledge_outcome(pledge_id):
    """Tell a bound or lapsed pledge's confirmed pledgers; a second run writes nothing."""
    return outcomes.pledge_announce(pledge_id=pledge_id)


@shared_task
def sweep_pledges():
    """Lapse the pledges whose deadline passed, and announce every bound or lapsed pledge not
    announced yet: those just lapsed, and any whose task the broker lost."""
    outcomes.pledges_lapse_due()
    return [outcomes.pledge_announce(pledge_id=pk) for pk in outcomes.pledges_unannounced()]


@shared_task
def purge_unconfirmed_pledgers():
    return outcomes.pledgers_purge_unconfirmed()

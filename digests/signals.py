"""Accounts and email-only subscriptions: one person, one digest."""

from allauth.account.signals import email_confirmed

from .services import subscriber_merge_into_account


def _email_confirmed(sender, email_address, **kwargs):
    subscriber_merge_into_account(user=email_address.user, email=email_address.email)


def connect() -> None:
    email_confirmed.connect(_email_confirmed, dispatch_uid="hub-digest-subscriber-merge")

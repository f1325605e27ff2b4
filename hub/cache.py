"""Cached reads that must never outlive the content they show.

Everything cached here is keyed by a content version that changes whenever a page is saved,
published, unpublished, moved or deleted (hub.signals), so a publish is visible on the next
request. The version is a fresh random token, not a counter, so an evicted version key can never
bring back entries cached under an old one.
"""

import uuid

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "content:version"
# A ceiling for what the version does not see (time passing, signatures arriving).
DEFAULT_TIMEOUT = 300


def content_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def content_changed() -> None:
    """Called inside the transaction that changes content: the change is seen at once by this
    connection, and a request that cached the old content before the commit is superseded by
    the second change of version after it."""
    _new_version()
    transaction.on_commit(_new_version)


def cached(key: str, build, *, timeout: int = DEFAULT_TIMEOUT):
    """`build()`'s value, cached under `key` for the current content version."""
    versioned = f"content:{content_version()}:{key}"
    value = cache.get(versioned)
    if value is None:
        value = build()
        cache.set(versioned, value, timeout)
    return value

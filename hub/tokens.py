"""Signed links: one salt per purpose, so a token made for one link never opens another."""

from datetime import timedelta
from typing import Any

from django.core import signing


def token_make(*, purpose: str, payload: Any) -> str:
    """A URL-safe token carrying `payload` (any JSON value), signed and timestamped."""
    return signing.dumps(payload, salt=purpose, compress=True)


def token_read(
    *, purpose: str, token: str, max_age: timedelta | None = None, plain: bool = False
) -> Any | None:
    """The payload `token_make` put in, or None when the token is tampered, made for another
    purpose, or older than `max_age`.

    `plain` also accepts a token that signed a bare string with this purpose's salt
    (`TimestampSigner.sign`), the form network invitations were mailed in; the string comes
    back as it was signed.
    """
    try:
        return signing.loads(token, salt=purpose, max_age=max_age)
    except (signing.BadSignature, ValueError):
        # ValueError: a genuine signature over a value that is no encoded payload, a plain one.
        if not plain:
            return None
    try:
        return signing.TimestampSigner(salt=purpose).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None

"""The one normal form of an email address, for "one per person" rules and per-address limits."""

GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def email_canonical(email: str, *, gmail_dots: bool = True) -> str:
    """One form per mailbox.

    Always: surrounding spaces go, the address is lower-cased and a `+tag` is dropped.
    With `gmail_dots` (the default), dots in a Gmail address go too and googlemail.com reads as
    gmail.com, since Gmail delivers all of those to one inbox. RSVPs pass False: their stored
    `Rsvp.email_normalised` (unique per event) was written without the Gmail rule, and folding
    it in would mean merging existing replies that hold places; both forms drop +tags and case.
    """
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if gmail_dots and domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
        domain = "gmail.com"
    return f"{local}@{domain}"

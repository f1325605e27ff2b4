"""Share links for a demand: plain links to each service's own share page, so no third-party
script runs on the site and nothing is sent anywhere until the signer follows one."""

from urllib.parse import quote, urlencode

# Mastodon has no one share address (each server has its own): Share2Fedi asks for the server.
MASTODON_SHARE = "https://s2f.kytta.dev/"
BLUESKY_SHARE = "https://bsky.app/intent/compose"
WHATSAPP_SHARE = "https://wa.me/"


def share_text(*, title: str) -> str:
    return f"I have signed “{title}”. Will you sign it too?"


def share_links(*, url: str, title: str) -> list[dict]:
    """Email, WhatsApp, Mastodon and Bluesky links, each a service, label and href."""
    text = share_text(title=title)
    message = f"{text} {url}"
    email = f"mailto:?subject={quote(title)}&body={quote(message)}"
    return [
        {"service": "email", "label": "Email", "href": email},
        {"service": "whatsapp", "label": "WhatsApp",
         "href": f"{WHATSAPP_SHARE}?{urlencode({'text': message})}"},
        {"service": "mastodon", "label": "Mastodon",
         "href": f"{MASTODON_SHARE}?{urlencode({'text': message})}"},
        {"service": "bluesky", "label": "Bluesky",
         "href": f"{BLUESKY_SHARE}?{urlencode({'text': message})}"},
    ]  # fmt: skip

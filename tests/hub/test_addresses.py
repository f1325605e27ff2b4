import pytest

from hub.addresses import email_canonical


@pytest.mark.parametrize(
    ("given", "canonical", "rsvp_form"),
    [
        ("  Ada@Example.ORG ", "ada@example.org", "ada@example.org"),
        ("ada+petitions@example.org", "ada@example.org", "ada@example.org"),
        ("ADA+X+Y@EXAMPLE.ORG", "ada@example.org", "ada@example.org"),
        ("A.d.a+x@GMail.com", "ada@gmail.com", "a.d.a@gmail.com"),
        ("a.da@googlemail.com", "ada@gmail.com", "a.da@googlemail.com"),
        ("a.da@example.org", "a.da@example.org", "a.da@example.org"),
    ],
)
def test_one_form_per_mailbox_and_rsvps_keep_their_stored_form(given, canonical, rsvp_form):
    assert email_canonical(given) == canonical
    assert email_canonical(given, gmail_dots=False) == rsvp_form

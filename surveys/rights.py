"""A member's rights over their own answers: finding them (only those given with an account:
an anonymous response holds nothing that leads back to anyone) and deleting them."""

from django.db import transaction

from .models import PublishedQuote, Response


def member_responses(*, user):
    """The responses `user` gave with their account."""
    return Response.objects.filter(user=user)


def member_response_delete(*, response: Response) -> None:
    """Delete the response and every answer in it. A quote an editor picked from it stays
    published, as the copy it is, but no longer points to the answer."""
    with transaction.atomic():
        PublishedQuote.objects.filter(answer__response=response).update(answer=None)
        response.delete()

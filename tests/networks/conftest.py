import pytest
from allauth.account.models import EmailAddress

from hub.factories import UserFactory
from networks import approval, services
from networks.factories import NetworkIndexPageFactory
from networks.models import NetworkKind, name_key


def verified_user(email: str, **kwargs):
    user = UserFactory(email=email, **kwargs)
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def approved_network(name: str, *, applicant=None, moderator=None):
    """A network made the way real ones are: applied for, then approved."""
    NetworkIndexPageFactory()
    applicant = applicant or verified_user(f"admin-{name_key(name)}@example.org")
    moderator = moderator or UserFactory(is_superuser=True, is_staff=True)
    application = services.network_application_create(
        applicant=applicant,
        name=name,
        kind=NetworkKind.SERVICE_USER,
        description=f"About {name}.",
    )
    return approval.network_approve(application=application, moderator=moderator)


@pytest.fixture
def moderator(db):
    return verified_user("moderator@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def index_page(db):
    return NetworkIndexPageFactory()

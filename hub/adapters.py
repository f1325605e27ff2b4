from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse

from .emails import email_send


class AccountAdapter(DefaultAccountAdapter):
    """allauth, with its emails sent through Celery after the transaction commits."""

    def send_mail(self, template_prefix, email, context):
        ctx = {"request": self.request, "email": email, **context}
        ctx.setdefault("current_site", get_current_site(self.request))
        message = self.render_mail(template_prefix, email, ctx)
        html = next((body for body, kind in message.alternatives if kind == "text/html"), None)
        email_send(
            to=message.to,
            subject=message.subject,
            text=message.body,
            html=html,
            from_email=message.from_email,
        )

    def send_notification_mail(self, template_prefix, user, context=None, email=None):
        # Whoever did not make the change can take the account back from the email itself.
        context = {
            "password_reset_url": settings.BASE_URL + reverse("account_reset_password"),
            **(context or {}),
        }
        super().send_notification_mail(template_prefix, user, context, email)

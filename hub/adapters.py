from allauth.account.adapter import DefaultAccountAdapter
from django.contrib.sites.shortcuts import get_current_site

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

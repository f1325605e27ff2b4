from django import template

from digests.models import MemberPreferences

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_network(context, network) -> bool:
    user = context["request"].user
    return MemberPreferences.networks.through.objects.filter(
        memberpreferences__user=user, networkpage=network
    ).exists()

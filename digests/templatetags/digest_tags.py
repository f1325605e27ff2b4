from django import template

from digests.models import DigestFrequency, MemberPreferences

register = template.Library()


@register.simple_tag(takes_context=True)
def follows_network(context, network) -> bool:
    user = context["request"].user
    return MemberPreferences.networks.through.objects.filter(
        memberpreferences__user=user, networkpage=network
    ).exists()


@register.simple_tag(takes_context=True)
def follows_demand(context, demand) -> bool:
    user = context["request"].user
    return MemberPreferences.demands.through.objects.filter(
        memberpreferences__user=user, demandpage=demand
    ).exists()


@register.simple_tag(takes_context=True)
def digest_off(context) -> bool:
    """Whether the signed-in member's digest is off, read once per request however many follow
    buttons ask: what they follow then reaches no inbox."""
    request = context["request"]
    if not hasattr(request, "_digest_off"):
        frequency = (
            MemberPreferences.objects.filter(user=request.user)
            .values_list("digest_frequency", flat=True)
            .first()
        )
        request._digest_off = frequency in (None, DigestFrequency.OFF)
    return request._digest_off

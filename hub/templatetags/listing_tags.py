from django import template

register = template.Library()


@register.filter
def filters_in_use(form) -> int:
    """How many of a listing's filters hold a value that was used: a value that did not validate
    is left out, as the listings leave it out of their results."""
    if not form.is_bound:
        return 0
    form.is_valid()
    return sum(1 for value in form.cleaned_data.values() if value)

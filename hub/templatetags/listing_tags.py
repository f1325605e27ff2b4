from django import template

register = template.Library()


@register.filter
def filters_in_use(form) -> int:
    """How many of a listing's visible filters hold a value that was used: a value that did not
    validate is left out, as the listings leave it out of their results; a hidden one is chosen
    elsewhere on the page (the finder's "When" links)."""
    if not form.is_bound:
        return 0
    form.is_valid()
    visible = {field.name for field in form.visible_fields()}
    return sum(1 for name, value in form.cleaned_data.items() if value and name in visible)

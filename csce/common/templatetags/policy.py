"""``{% policy "NAME" as name %}``: a number of csce/common/policy.py, never typed in a template."""

from django import template

from csce.common import policy as policy_numbers

register = template.Library()


@register.simple_tag
def policy(name: str):
    """The policy number called ``name``; an unknown name fails loudly, not silently empty."""
    if not name.isupper() or not hasattr(policy_numbers, name):
        raise template.TemplateSyntaxError(f"No policy number named {name!r}.")
    return getattr(policy_numbers, name)

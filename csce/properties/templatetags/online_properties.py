"""The registry on the public pages (policy P1, O): the footer's social links and the
Organization JSON-LD with its ``sameAs``. No third-party request: text links, no icon
fetched from a network."""

from __future__ import annotations

import json

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from csce.properties.models import PropertyKind
from csce.properties.public import public_properties

register = template.Library()

# Django's json_script escapes: the data cannot close the script element.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _network(kind: str, name: str) -> str:
    return name if kind == PropertyKind.OTHER else str(PropertyKind(kind).label)


@register.inclusion_tag("properties/includes/social_links.html")
def social_links() -> dict:
    links = []
    for row in public_properties()["links"]:
        network = _network(row["kind"], row["name"])
        links.append(
            {
                "url": row["url"],
                "text": network,
                # WCAG 2.4.4, 2.5.3: the name says whose account it is, in the page's
                # language, and starts from the visible text's network.
                "label": gettext("%(network)s: the centre's account") % {"network": network},
            }
        )
    return {"links": links}


@register.simple_tag(takes_context=True)
def organization_json_ld(context, name: str = "") -> str:
    """The pages' schema.org Organization: the centre's name, its website and, in
    ``sameAs``, the accounts the footer shows."""
    data = public_properties()
    request = context.get("request")
    url = data["website"] or (request.build_absolute_uri("/") if request is not None else "")
    organization = {"@context": "https://schema.org", "@type": "Organization", "name": name}
    if url:
        organization["url"] = url
    same_as = [row["url"] for row in data["links"]]
    if same_as:
        organization["sameAs"] = same_as
    payload = json.dumps(organization, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{payload}</script>')  # noqa: S308 - escaped above

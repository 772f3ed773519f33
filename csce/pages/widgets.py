"""Editor widgets of the page types."""

from __future__ import annotations

import json

from django import forms

from .social_posts import networks_registered, post_counts, post_rules


class SocialPostWidget(forms.Textarea):
    """A post draft with its length on each network (policy C).

    The counts are computed here when the editor opens (and after each save), and kept
    live in the browser by ``pages/js/social-post.js``: our own static script, under the
    admin's strict script policy, reading the same rules (``social_posts.post_rules``)."""

    template_name = "pages/widgets/social_post.html"

    class Media:
        js = ["pages/js/social-post.js"]
        css = {"all": ["pages/css/social-post.css"]}

    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 6, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["counts"] = post_counts(text=value or "")
        # Policy O: the centre's own networks, or all of them when none is registered.
        context["widget"]["registered"] = bool(networks_registered())
        context["widget"]["rules"] = json.dumps(post_rules())
        return context

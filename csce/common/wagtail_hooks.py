"""The Wagtail admin under the site's strict Content-Security-Policy (policy M).

Scripts run only from 'self' or with the request's nonce, so every inline initialiser that
Wagtail writes is replaced by an inert marker, which ``common/js/admin-strict-csp.js``
(loaded on every admin page) turns into the same call. The widget and panel templates
are overridden in ``csce/common/templates/``; the choosers write their script in Python,
so they are handled here.
"""

from __future__ import annotations

import json

from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.staticfiles import versioned_static
from wagtail.admin.widgets import BaseChooser
from wagtail.admin.widgets.workflows import AdminTaskChooser

_wagtail_chooser_render = BaseChooser.render


@hooks.register("insert_global_admin_js")
def admin_strict_csp_js() -> str:
    # Deferred: it runs after the widgets' own scripts, before DOMContentLoaded.
    return format_html(
        '<script src="{}" defer></script>', versioned_static("common/js/admin-strict-csp.js")
    )


def _chooser_render(self, name, value, attrs=None, renderer=None):
    """Wagtail's ``BaseChooser.render`` with an inert marker in place of its inline
    ``<script>new PageChooser(...)</script>`` (likewise images, documents, snippets, tasks)."""
    js_init = type(self).render_js_init
    if js_init is BaseChooser.render_js_init:
        function = self.js_constructor
    elif js_init is AdminTaskChooser.render_js_init:
        function = "createTaskChooser"
    else:  # an initialiser we do not know: keep Wagtail's own output
        return _wagtail_chooser_render(self, name, value, attrs, renderer)
    try:
        id_ = attrs["id"]
    except (KeyError, TypeError) as e:
        raise TypeError("BaseChooser cannot be rendered without an 'id' attribute") from e
    value_data = self.get_value_data(value)
    widget_html = self.render_html(name, value_data, attrs)
    if function == "createTaskChooser":
        return format_html(
            '{}<script type="application/json" data-csce-init="{}" data-csce-id="{}"></script>',
            widget_html,
            function,
            id_,
        )
    return format_html(
        '{}<script type="application/json" data-csce-init="{}" data-csce-id="{}"'
        ' data-csce-options="{}"></script>',
        widget_html,
        function,
        id_,
        json.dumps(self.get_js_init_options(id_, name, value_data)),
    )


BaseChooser.render = _chooser_render

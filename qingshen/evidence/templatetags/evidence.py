"""{% load evidence %}{% evidence_panel owner slot="photos" label="现场照片" %}

Renders the owner's current files for one slot (thumbnails, dates, uploader, versions) and,
for a user who may add (permission, jurisdiction, owner editable), the upload form and each
file's 替换 / 删除. The page embedding it has already decided the user may see the owner.
The panel holds forms of its own: place it outside the page's own <form>. Its forms post to
the evidence app and come back to this page (`next`), or, with htmx, swap the panel in place.
The page needs `request` in its context (the default context processors provide it).
"""

from django import template

from qingshen.evidence.panels import panel_context

register = template.Library()


@register.inclusion_tag("evidence/_panel.html", takes_context=True)
def evidence_panel(context, owner, slot="", label=""):
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    return panel_context(user, owner, slot, label, next_url=request.get_full_path() if request else "",
                         csrf_token=context.get("csrf_token"))

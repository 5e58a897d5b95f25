"""The content check in the admin: the same report as `manage.py check_content`, each record
linking to its change form, for staff. Served and linked from the index as a tool page
(history/admin_site.py), at /admin/history/content-check/."""

from django.contrib import admin
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import content_check


def content_check_view(request):
    include_drafts = request.GET.get("drafts") == "1"
    groups = content_check.run(include_drafts=include_drafts)
    published = [group for group in groups if group.published]
    context = {
        **admin.site.each_context(request),
        "title": _("Content check"),
        "groups": groups,
        "include_drafts": include_drafts,
        "problem_count": sum(len(group.problems) for group in published),
        "record_count": len(published),
    }
    return render(request, "admin/history/content_check.html", context)

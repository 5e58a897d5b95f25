"""The admin site: Django's, with the editors' tool pages.

A tool page is an admin page that belongs to no model (the fixture import, the
content check). Each is one ToolPage line in TOOL_PAGES: the site serves it
under /admin/ through its own get_urls(), behind the admin's login, with the
URL name "admin:<name>", refuses it to users without its permissions, and links
it from the index page for those who have them.

Why a site class rather than URLs in config/urls.py: the pages then live where
the admin's do (one login check, one URL namespace, one index), and
config/urls.py keeps the one line path("admin/", admin.site.urls). The class is
made the default site by history.apps.HistoryAdminConfig, which INSTALLED_APPS
names instead of django.contrib.admin, so every @admin.register lands on it.
(It lives outside the history.admin package: importing that package registers
the model admins, which needs the site to exist already.)"""

from dataclasses import dataclass

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ToolPage:
    path: str  # under /admin/
    name: str  # the URL's name in the admin namespace
    view: str  # dotted path of a view taking the request, imported when the URLs are built
    title: str
    permissions: tuple = ()  # besides being staff, which the admin's login requires

    def allowed(self, user):
        return user.has_perms(self.permissions)


TOOL_PAGES = (
    # The people who may add and change events by hand may import them.
    ToolPage(
        "history/import/",
        "history-import",
        "history.admin.fixtures.import_view",
        _("Import fixtures"),
        ("history.add_event", "history.change_event"),
    ),
    # The content check changes nothing, but it names drafts: for those who may view the records.
    ToolPage(
        "history/content-check/",
        "history-content-check",
        "history.content_check_admin.content_check_view",
        _("Content check"),
        ("history.view_event", "history.view_conference", "history.view_aidprogram", "history.view_source"),
    ),
)


class HistoryAdminSite(admin.AdminSite):
    index_template = "admin/history/index.html"
    tool_pages = TOOL_PAGES

    def get_urls(self):
        # Before the model URLs, which would otherwise read "history/import/"
        # as the changelist of a model called "import".
        return [self.tool_url(page) for page in self.tool_pages] + super().get_urls()

    def tool_url(self, page):
        view = import_string(page.view)

        def tool_view(request, *args, **kwargs):
            if not page.allowed(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return path(page.path, self.admin_view(tool_view), name=page.name)

    def tool_links(self, request):
        return [
            {"title": page.title, "url": reverse(f"{self.name}:{page.name}", current_app=self.name)}
            for page in self.tool_pages
            if page.allowed(request.user)
        ]

    def index(self, request, extra_context=None):
        return super().index(request, {"tool_pages": self.tool_links(request), **(extra_context or {})})

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Afghanistan–Japan relations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import content_version, signals  # noqa: F401
        from .search_index import ensure_after_migrate, register_lookups

        register_lookups()
        content_version.connect()
        post_migrate.connect(ensure_after_migrate, sender=self)


class HistoryAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with this site's AdminSite (history.admin_site), which
    serves the tool pages. INSTALLED_APPS names it instead of "django.contrib.admin"."""

    default = False  # "history" in INSTALLED_APPS still means HistoryConfig
    default_site = "history.admin_site.HistoryAdminSite"

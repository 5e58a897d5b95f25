from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Afghanistan–Japan relations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401
        from .search_index import ensure_after_migrate, register_lookups

        register_lookups()
        post_migrate.connect(ensure_after_migrate, sender=self)

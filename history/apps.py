from django.apps import AppConfig
from django.conf import locale
from django.utils.translation import gettext_lazy as _

# Django has no Pashto and knows fa-af only as Persian. Without these entries
# {% get_language_info_list %} raises KeyError and the switcher says "Persian".
EXTRA_LANG_INFO = {
    "fa-af": {"bidi": True, "code": "fa-af", "name": "Dari", "name_local": "دری"},
    "ps": {"bidi": True, "code": "ps", "name": "Pashto", "name_local": "پښتو"},
}


class HistoryConfig(AppConfig):
    name = "history"
    verbose_name = _("Afghanistan–Japan relations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        locale.LANG_INFO.update(EXTRA_LANG_INFO)
        from . import signals  # noqa: F401

from django.conf import settings
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from modeltranslation.translator import translator
from modeltranslation.utils import build_localized_fieldname

from .models import Publishable
from .search import names_in, normalize


def searchable_values(instance):
    options = translator.get_options_for_model(type(instance))
    values = [instance.slug, getattr(instance, "title", "")]
    for field in options.all_fields:  # every translated field in every language
        for code, _name in settings.LANGUAGES:
            values.append(getattr(instance, build_localized_fieldname(field, code), "") or "")
    return values


@receiver(pre_save)
def fill_search_text(sender, instance, raw=False, **kwargs):
    """Keep the normalised search column in step with the text, for saves from the
    admin, the import command and loaddata (raw) alike. Glossary names found in the
    text are added in their other scripts, so an English-only record about Kabul is
    found by カブール and کابل before it is translated."""
    if isinstance(instance, Publishable):
        text = normalize(" ".join(v for v in searchable_values(instance) if v))
        others = sorted(name for name in names_in(text) if name not in text)
        instance.search_text = " ".join([text, *others]).strip()


@receiver(pre_save)
def stamp_raw_saves(sender, instance, raw=False, **kwargs):
    """loaddata saves raw, which skips auto_now/auto_now_add; the fixtures carry no
    timestamps (they are not content), so give raw-loaded records the load time."""
    if raw and isinstance(instance, Publishable):
        now = timezone.now()
        if instance.created_at is None:
            instance.created_at = now
        instance.updated_at = now

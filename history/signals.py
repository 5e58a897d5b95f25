"""What every save of a content record needs, whichever path writes it: the admin,
the importer (whose bulk_create sends no signal, so it calls prepare_record itself),
loaddata (raw saves) and reverts."""

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
    # Every translated field in every language, in the model's order: modeltranslation
    # lists a model's inherited fields in the order of a set, which changes with the
    # process's hash seed, and so did the start of the search text, which ranks.
    order = {field.name: place for place, field in enumerate(instance._meta.fields)}
    for field in sorted(options.all_fields, key=lambda name: (order.get(name, len(order)), name)):
        for code, _name in settings.LANGUAGES:
            values.append(getattr(instance, build_localized_fieldname(field, code), "") or "")
    return values


def fill_search_text(instance):
    """Keep the normalised search column in step with the text. Glossary names found
    in the text are added in their other scripts, so an English-only record about
    Kabul is found by カブール and کابل before it is translated."""
    text = normalize(" ".join(v for v in searchable_values(instance) if v))
    others = sorted(name for name in names_in(text) if name not in text)
    instance.search_text = " ".join([text, *others]).strip()


@receiver(pre_save)
def prepare_record(sender, instance, raw=False, **kwargs):
    if not isinstance(instance, Publishable):
        return
    fill_search_text(instance)
    now = timezone.now()
    if instance.is_published and instance.first_published_at is None:
        instance.first_published_at = now
    if raw:
        # loaddata skips auto_now/auto_now_add; the fixtures carry no timestamps
        # (they are not content), so raw-loaded records get the load time.
        if instance.created_at is None:
            instance.created_at = now
        instance.updated_at = now

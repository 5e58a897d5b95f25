"""The editorial settings a page may show: where readers report an error."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def corrections_email():
    """settings.CORRECTIONS_EMAIL: `{% corrections_email as address %}`."""
    return settings.CORRECTIONS_EMAIL

"""The editors' admin: one module of shared behaviour (base), list filters, and
the registrations of the content models."""

from . import content  # noqa: F401 - registers the ModelAdmins

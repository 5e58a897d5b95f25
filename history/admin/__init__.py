"""The editors' admin: the site with its tool pages (site), the two base classes
(base), list filters, the fixture import page and export actions (fixtures), and
the registrations of the content models (content)."""

from . import content  # noqa: F401 - registers the ModelAdmins

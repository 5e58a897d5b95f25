"""Who may publish, what a record needs before it is published, and the two
editors' roles. The admin, the create_editor command and the import command all
use these, so the rules live in one place.

The publish right is one custom permission, ``history.publish_content``. It is
not declared in a model's Meta (that would put a copy on every content model and
need a schema migration); it is a single Permission row on the Event content
type, created by migration 0002 and by ``sync_roles()``. Django's permission
check only looks at "app_label.codename", so it applies to every record type.
"""

from django.apps import apps as global_apps
from django.utils.translation import gettext_lazy as _

from . import kinds

PUBLISH_CODENAME = "publish_content"
PUBLISH_PERMISSION = f"history.{PUBLISH_CODENAME}"
PUBLISH_PERMISSION_NAME = "Can publish and unpublish content"

EDITORS = "Editors"
PUBLISHERS = "Publishers"

MISSING_CITATION_MESSAGE = _(
    "A record cannot be published without at least one citation. Add a source in the Citations "
    "section, or save it as a draft."
)
NOT_A_PUBLISHER_MESSAGE = _("Only publishers can publish or unpublish a record. Ask a publisher to do it.")


def can_publish(user):
    """Whether `user` may set a record's status to published or back to draft."""
    return bool(user and user.is_active and user.has_perm(PUBLISH_PERMISSION))


def needs_citation(record):
    """Records of the cited kinds (history.kinds.CITED) need a citation to be published."""
    return record._meta.model_name in {kind.name for kind in kinds.CITED}


def missing_citation(record):
    """True when `record` is of a kind that must be cited and has no citation
    saved in the database. (The admin also counts citations being saved in the
    same form; see history.forms.)"""
    if not needs_citation(record):
        return False
    if record.pk is None:
        return True
    return not record.citations.exists()


def publish_problem(record, user=None, citation_count=None):
    """The reason `record` may not be saved as published, or None.

    `citation_count` is the number of citations the record will have after the
    save, when the caller knows it (a form with an inline); otherwise the
    database is asked. `user=None` skips the permission check (imports run by
    an operator)."""
    if not record.is_published:
        return None
    if user is not None and not can_publish(user):
        return NOT_A_PUBLISHER_MESSAGE
    if needs_citation(record):
        missing = citation_count == 0 if citation_count is not None else missing_citation(record)
        if missing:
            return MISSING_CITATION_MESSAGE
    return None


def role_permissions(apps=global_apps):
    """{group name: set of (app_label, codename)} for the two roles."""
    history_config = apps.get_app_config("history")
    historical = {
        m._meta.model_name for m in history_config.get_models() if m._meta.model_name.startswith("historical")
    }
    # What editors work on: everything fixtures carry. Neither role gets anything
    # from django.contrib.auth: managing accounts stays with superusers.
    content_models = kinds.import_order()
    editors = set()
    for model in content_models:
        editors |= {("history", f"{action}_{model}") for action in ("add", "change", "view")}
        if f"historical{model}" in historical:
            editors.add(("history", f"view_historical{model}"))
    publishers = editors | {("history", f"delete_{model}") for model in content_models}
    publishers.add(("history", PUBLISH_CODENAME))
    return {EDITORS: editors, PUBLISHERS: publishers}


def sync_roles(apps=global_apps):
    """Create or update the Editors and Publishers groups and the publish
    permission. Safe to run again; used by migration 0002 (with the migration's
    historical `apps`) and by create_editor, so a database whose groups were
    flushed gets them back."""
    from django.contrib.auth.management import create_permissions

    history_config = apps.get_app_config("history")
    # On a fresh database the post_migrate signal that creates permissions has
    # not run yet when data migrations run; create them now.
    # create_permissions skips an app without models_module, which is what the
    # migration state's stand-in app config looks like.
    models_module = getattr(history_config, "models_module", None)
    history_config.models_module = models_module or True
    try:
        create_permissions(history_config, verbosity=0, apps=apps)
    finally:
        history_config.models_module = models_module

    content_type_model = apps.get_model("contenttypes", "ContentType")
    permission_model = apps.get_model("auth", "Permission")
    group_model = apps.get_model("auth", "Group")

    event_type, _created = content_type_model.objects.get_or_create(app_label="history", model="event")
    permission_model.objects.get_or_create(
        content_type=event_type, codename=PUBLISH_CODENAME, defaults={"name": PUBLISH_PERMISSION_NAME}
    )
    for group_name, wanted in role_permissions(apps).items():
        group, _created = group_model.objects.get_or_create(name=group_name)
        codenames = {codename for _app, codename in wanted}
        permissions = permission_model.objects.filter(content_type__app_label="history", codename__in=codenames)
        group.permissions.set(permissions)

"""The Editors and Publishers groups and the publish permission (see
history.publishing). Runs on a fresh database too: permissions are created here
because post_migrate, which normally creates them, has not run yet."""

from django.db import migrations


def create_roles(apps, schema_editor):
    from history.publishing import sync_roles

    sync_roles(apps)


def remove_roles(apps, schema_editor):
    from history.publishing import EDITORS, PUBLISH_CODENAME, PUBLISHERS

    apps.get_model("auth", "Group").objects.filter(name__in=[EDITORS, PUBLISHERS]).delete()
    apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="history", codename=PUBLISH_CODENAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("history", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

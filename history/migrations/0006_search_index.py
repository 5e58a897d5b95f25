"""The full-text index of every kind's search column (history.search_index): FTS5
tables and triggers on SQLite, pg_trgm and GIN trigram indexes on PostgreSQL."""

from django.db import migrations


def create_index(apps, schema_editor):
    from history.search_index import ensure_search_index

    models = [apps.get_model("history", name) for name in ("event", "conference", "aidprogram", "source")]
    ensure_search_index(schema_editor.connection, models)


def drop_index(apps, schema_editor):
    from history.search_index import drop_search_index

    models = [apps.get_model("history", name) for name in ("event", "conference", "aidprogram", "source")]
    drop_search_index(schema_editor.connection, models)


class Migration(migrations.Migration):
    dependencies = [("history", "0005_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]

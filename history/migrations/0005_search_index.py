"""The full-text index of every kind's search column (history.search_index): FTS5
tables and triggers on SQLite, pg_trgm and GIN trigram indexes on PostgreSQL."""

from django.db import migrations


def create_index(apps, schema_editor):
    from history.search_index import ensure_search_index

    models = [apps.get_model("history", name) for name in ("event", "conference", "aidprogram", "source")]
    ensure_search_index(schema_editor.connection, models)


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    for name in ("event", "conference", "aidprogram", "source"):
        table = apps.get_model("history", name)._meta.db_table
        if connection.vendor == "sqlite":
            for trigger in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_search_{trigger}")
            schema_editor.execute(f"DROP TABLE IF EXISTS {table}_search")
        elif connection.vendor == "postgresql":
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")


class Migration(migrations.Migration):
    dependencies = [("history", "0004_list_indexes")]

    operations = [migrations.RunPython(create_index, drop_index)]

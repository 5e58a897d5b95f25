"""The full-text index under search: every kind's normalised search_text column
(history.signals fills it), indexed by the database itself.

- SQLite: an FTS5 table per kind with the trigram tokenizer, an external-content
  index of the kind's table (<table>_search), kept in step by triggers on insert,
  update of search_text and delete. Triggers are the database's own: every path
  that writes a row (the admin, reverts, loaddata, the importer's bulk writes, a
  cascade) updates the index in the same transaction.
- PostgreSQL: pg_trgm and a GIN trigram index on search_text, which the LIKE the
  search lookup writes uses.

Both find a word inside a longer one (Japanese has no spaces between words).
Trigrams cannot find a term under three characters (日本): such a term is matched
with LIKE on the rows the other terms found, or on every row when it is alone.

ensure_search_index() creates what is missing; it runs in migration 0006 and after
every migrate, because SQLite's migrations rebuild a table to alter it, and the
rebuilt table has no triggers until they are made again (the index is then rebuilt)."""

from django.apps import apps
from django.db.models import F, Lookup

from . import kinds

TRIGRAM = 3  # the shortest term the index can find


def search_table(model):
    return f"{model._meta.db_table}_search"


def _sqlite_statements(table):
    index = f"{table}_search"
    delete = f"INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    insert = f"INSERT INTO {index}(rowid, search_text) VALUES (new.id, new.search_text);"
    return {
        f"{index}_insert": f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"{index}_delete": f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"{index}_update": (
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF search_text ON {table} BEGIN {delete} {insert} END"
        ),
    }


def _ensure_sqlite(cursor, table):
    index = f"{table}_search"
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s", [f"{index}%"])
    present = {name for (name,) in cursor.fetchall()}
    if present >= {index, *_sqlite_statements(table)}:
        return False
    if index not in present:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5(search_text, content='{table}', content_rowid='id', "
            "tokenize='trigram')"
        )
    for name, statement in _sqlite_statements(table).items():
        if name not in present:
            cursor.execute(statement)
    # Rows written while a trigger was missing are indexed again from the table.
    cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    return True


def _ensure_postgresql(cursor, table):
    cursor.execute("SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexname = %s", [table, f"{table}_search"])
    if cursor.fetchone():
        return False
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cursor.execute(f"CREATE INDEX {table}_search ON {table} USING gin (search_text gin_trgm_ops)")
    return True


def ensure_search_index(connection, models=None):
    """Create the index of every kind where it is missing; the names of the tables
    whose index was (re)built."""
    ensure = {"sqlite": _ensure_sqlite, "postgresql": _ensure_postgresql}.get(connection.vendor)
    if ensure is None:
        return []
    models = models or [kind.model for kind in kinds.KINDS]
    built = []
    with connection.cursor() as cursor:
        for model in models:
            if ensure(cursor, model._meta.db_table):
                built.append(model._meta.db_table)
    return built


def drop_search_index(connection, models=None):
    """Remove the index (migration 0006 backwards; a bulk load that builds it after)."""
    models = models or [kind.model for kind in kinds.KINDS]
    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            if connection.vendor == "sqlite":
                for trigger in ("insert", "update", "delete"):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {table}_search_{trigger}")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_search")
            elif connection.vendor == "postgresql":
                cursor.execute(f"DROP INDEX IF EXISTS {table}_search")


def ensure_after_migrate(sender, using="default", plan=None, **kwargs):
    """post_migrate: the index again where a migration rebuilt a table."""
    from django.db import connections

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    models = [kind.model for kind in kinds.KINDS if kind.model._meta.db_table in tables]
    if models:
        ensure_search_index(connection, models)


def indexable(spellings):
    """The spellings of a term the index can look for. A glossary name's spellings
    are all in the text when any of them is (history.signals adds the others), so
    for 日本 the index looks for japan and جاپان; a term that is no glossary name
    keeps its one spelling, however short."""
    if len(spellings) > 1 and any(len(spelling) >= TRIGRAM for spelling in spellings):
        return [spelling for spelling in spellings if len(spelling) >= TRIGRAM]
    return list(spellings)


def _fts_phrase(term):
    return '"' + term.replace('"', '""') + '"'


def fts_expression(groups):
    """An FTS5 query: every group (AND), any of its spellings (OR), each a phrase."""
    return " AND ".join("(" + " OR ".join(map(_fts_phrase, group)) + ")" for group in groups)


def _split(groups):
    groups = [indexable(group) for group in groups if group]
    indexed = [group for group in groups if all(len(spelling) >= TRIGRAM for spelling in group)]
    return indexed, [group for group in groups if group not in indexed]


def ranked_by_index(queryset, expanded, limit):
    """SQLite: the keys of the best `limit` rows of `queryset` matching the query,
    ranked by the index's own relevance (FTS5's bm25: the words more often and in a
    shorter text first), and how many rows match in all: [(pk, matches)]. The rank
    is read from the index, not from each row's text, so it costs little however
    many rows match. None where the index cannot rank (another database, or no term
    of three characters): the caller ranks."""
    indexed, short = _split(expanded)
    if queryset.db != "default" or not indexed:
        return None
    from django.db import connections

    connection = connections[queryset.db]
    if connection.vendor != "sqlite":
        return None
    if short:
        queryset = queryset.filter(search_text__matches=short)
    keys = queryset.order_by().annotate(record_key=F("pk")).values_list("record_key")
    inner, params = keys.query.sql_with_params()
    index = search_table(queryset.model)
    sql = (
        # CROSS JOIN: SQLite then reads the index first and each match's row by its key.
        f"SELECT q.record_key, COUNT(*) OVER () FROM {index} CROSS JOIN ({inner}) q ON q.record_key = {index}.rowid "
        f"WHERE {index} MATCH %s ORDER BY {index}.rank, q.record_key LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, fts_expression(indexed), limit])
        return [tuple(row) for row in cursor.fetchall()]


class Matches(Lookup):
    """search_text__matches=[[spelling, ...], ...]: every group matches (AND), each
    in any of its spellings (OR); the spellings normalised (history.search)."""

    lookup_name = "matches"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [])

    def _groups(self):
        return [list(group) for group in self.rhs if group]

    def _like(self, compiler, connection, groups):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql, params = [], []
        for group in groups:
            alternatives = []
            for spelling in group:
                alternatives.append(f"{lhs} LIKE %s ESCAPE '\\'")
                params.extend([*lhs_params, f"%{connection.ops.prep_for_like_query(spelling)}%"])
            sql.append("(" + " OR ".join(alternatives) + ")")
        return " AND ".join(sql) or "1=1", params

    def as_sql(self, compiler, connection):
        return self._like(compiler, connection, self._groups())

    def as_sqlite(self, compiler, connection):
        indexed, short = _split(self._groups())
        parts, params = [], []
        if indexed:
            expression = fts_expression(indexed)
            table = self.lhs.target.model._meta.db_table
            alias = compiler.quote_name_unless_alias(self.lhs.alias)
            parts.append(f"{alias}.id IN (SELECT rowid FROM {table}_search WHERE {table}_search MATCH %s)")
            params.append(expression)
        if short:
            sql, like_params = self._like(compiler, connection, short)
            parts.append(sql)
            params.extend(like_params)
        return " AND ".join(parts) or "1=1", params


def register_lookups():
    """The lookup on the search column of every kind (and no other column)."""
    for kind in kinds.KINDS:
        apps.get_model(kinds.APP_LABEL, kind.name)._meta.get_field("search_text").register_lookup(Matches)

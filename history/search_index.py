"""The full-text index under search: every kind's normalised search_text column
(history.signals fills it), indexed by the database itself.

- SQLite: an FTS5 table per kind with the trigram tokenizer, an external-content
  index of the kind's table (<table>_search), and beside it a narrow table
  (<table>_search_head: the row's key, whether it is published, the first
  RANKED_PREFIX characters the rank reads), both kept in step by triggers on
  insert, update of search_text (and of status, for the head) and delete. The
  search finds and ranks in these two alone: reading the published flag and the
  head out of the records' wide rows was two thirds of a search's time in the
  database at 100,000 events. Triggers are the database's own: every path that
  writes a row (the admin, reverts, loaddata, the importer's bulk writes, a
  cascade) updates the index in the same transaction.
- PostgreSQL: a narrow table per kind (<table>_search: the row's key, whether it
  is published, the first RANKED_PREFIX characters the rank reads, the search
  text stored uncompressed) with a GIN trigram index (pg_trgm), kept in step by
  triggers on insert, update of search_text or status, delete and truncate. The
  search reads it alone: at 100,000 events, checking and ranking 10,000 matches in
  the records' own wide rows, whose search text is compressed, took about 0.7 s
  for the events; in this table it takes about a tenth of a second.

A search is bounded (ranked_by_index): the index gives the first matches it finds,
up to a limit, and only those are counted and ranked.

Both find a word inside a longer one (Japanese has no spaces between words).
Trigrams cannot find a term under three characters (日本): such a term is matched
with LIKE on the rows the other terms found, or on every row when it is alone.

ensure_search_index() creates what is missing; it runs in migration 0006 and after
every migrate, because SQLite's migrations rebuild a table to alter it, and the
rebuilt table has no triggers until they are made again (the index is then rebuilt)."""

from django.apps import apps
from django.db.models import Lookup

from . import kinds
from .models.base import Publishable

TRIGRAM = 3  # the shortest term the index can find
# How much of the search text the rank reads: the slug and the titles come first
# (history.signals), so the rank costs the same for a long record as for a short one.
RANKED_PREFIX = 300
# Where a spelling that does not occur early counts as found: after any real position.
NOT_FOUND = 10**9
PUBLISHED = Publishable.Status.PUBLISHED.value  # as the triggers compare it


def search_table(model):
    return f"{model._meta.db_table}_search"


def _sqlite_statements(table):
    index = f"{table}_search"
    head = f"{index}_head"
    delete = f"INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.id, old.search_text);"
    insert = f"INSERT INTO {index}(rowid, search_text) VALUES (new.id, new.search_text);"
    write_head = (
        f"INSERT OR REPLACE INTO {head} (id, published, head) "
        f"VALUES (new.id, new.status = '{PUBLISHED}', substr(new.search_text, 1, {RANKED_PREFIX}));"
    )
    return {
        f"{index}_insert": f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"{index}_delete": f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"{index}_update": (
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF search_text ON {table} BEGIN {delete} {insert} END"
        ),
        f"{head}_insert": f"CREATE TRIGGER {head}_insert AFTER INSERT ON {table} BEGIN {write_head} END",
        f"{head}_delete": (
            f"CREATE TRIGGER {head}_delete AFTER DELETE ON {table} BEGIN DELETE FROM {head} WHERE id = old.id; END"
        ),
        f"{head}_update": (
            f"CREATE TRIGGER {head}_update AFTER UPDATE OF search_text, status ON {table} BEGIN {write_head} END"
        ),
    }


def _ensure_sqlite(cursor, table):
    index = f"{table}_search"
    head = f"{index}_head"
    cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE %s", [f"{index}%"])
    present = {name for (name,) in cursor.fetchall()}
    if present >= {index, head, *_sqlite_statements(table)}:
        return False
    if index not in present:
        cursor.execute(
            f"CREATE VIRTUAL TABLE {index} USING fts5(search_text, content='{table}', content_rowid='id', "
            "tokenize='trigram')"
        )
    if head not in present:
        cursor.execute(f"CREATE TABLE {head} (id integer PRIMARY KEY, published integer NOT NULL, head text NOT NULL)")
    for name, statement in _sqlite_statements(table).items():
        if name not in present:
            cursor.execute(statement)
    # Rows written while a trigger was missing are indexed again from the table.
    cursor.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")
    cursor.execute(f"DELETE FROM {head}")
    cursor.execute(
        f"INSERT INTO {head} SELECT id, status = %s, substr(search_text, 1, %s) FROM {table}",
        [PUBLISHED, RANKED_PREFIX],
    )
    return True


def _postgresql_triggers(table):
    index = f"{table}_search"
    write = f"""
        CREATE OR REPLACE FUNCTION {index}_write() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                DELETE FROM {index} WHERE id = OLD.id;
            ELSE
                INSERT INTO {index} (id, published, head, search_text) VALUES (
                    NEW.id, NEW.status = '{PUBLISHED}', substr(NEW.search_text, 1, {RANKED_PREFIX}), NEW.search_text
                )
                ON CONFLICT (id) DO UPDATE SET
                    published = EXCLUDED.published, head = EXCLUDED.head, search_text = EXCLUDED.search_text;
            END IF;
            RETURN NULL;
        END $$"""
    empty = f"""
        CREATE OR REPLACE FUNCTION {index}_empty() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            TRUNCATE {index};
            RETURN NULL;
        END $$"""
    return [
        write,
        empty,
        f"DROP TRIGGER IF EXISTS {index}_write ON {table}",
        f"CREATE TRIGGER {index}_write AFTER INSERT OR DELETE OR UPDATE OF search_text, status ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {index}_write()",
        f"DROP TRIGGER IF EXISTS {index}_empty ON {table}",
        f"CREATE TRIGGER {index}_empty AFTER TRUNCATE ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {index}_empty()",
    ]


def _ensure_postgresql(cursor, table):
    index = f"{table}_search"
    cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [index])
    found = cursor.fetchone()
    cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname IN (%s, %s)", [f"{index}_write", f"{index}_empty"])
    if found and found[0] == "r" and cursor.fetchone()[0] == 2:
        return False
    if found and found[0] == "i":
        cursor.execute(f"DROP INDEX {index}")  # an earlier version's index on the kind's own table
    cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    cursor.execute(f"DROP TABLE IF EXISTS {index}")
    cursor.execute(
        f"CREATE TABLE {index} (id integer PRIMARY KEY, published boolean NOT NULL, head text NOT NULL, "
        "search_text text NOT NULL)"
    )
    # Uncompressed: every match's text is read to check it, and decompressing it
    # was most of that time.
    cursor.execute(f"ALTER TABLE {index} ALTER COLUMN search_text SET STORAGE EXTERNAL")
    cursor.execute(
        f"INSERT INTO {index} SELECT id, status = %s, substr(search_text, 1, %s), search_text FROM {table}",
        [PUBLISHED, RANKED_PREFIX],
    )
    # Built after the rows are in: much quicker than row by row.
    cursor.execute(f"CREATE INDEX {index}_trigram ON {index} USING gin (search_text gin_trgm_ops)")
    for statement in _postgresql_triggers(table):
        cursor.execute(statement)
    cursor.execute(f"ANALYZE {index}")
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
                for trigger in _sqlite_statements(table):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_search")
                cursor.execute(f"DROP TABLE IF EXISTS {table}_search_head")
            elif connection.vendor == "postgresql":
                index = f"{table}_search"
                cursor.execute(f"DROP TRIGGER IF EXISTS {index}_write ON {table}")
                cursor.execute(f"DROP TRIGGER IF EXISTS {index}_empty ON {table}")
                cursor.execute(f"DROP FUNCTION IF EXISTS {index}_write(), {index}_empty()")
                cursor.execute("SELECT relkind FROM pg_class WHERE oid = to_regclass(%s)", [index])
                found = cursor.fetchone()
                if found:
                    cursor.execute(f"DROP {'INDEX' if found[0] == 'i' else 'TABLE'} {index}")


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


def searched_spellings(groups):
    """For each term, the spellings the index looks for: one, for a glossary name its
    longest the index can find. Every spelling of a name is in a record's search
    text when any of them is (history.signals), so one finds the same records as
    all of them, and the longest has the fewest trigrams' matches to check: a
    search for kabul read the index four times, once for each spelling. The rank
    still reads every spelling (earliest_mention_sql)."""
    return [[max(indexable(group), key=len)] if len(group) > 1 else list(group) for group in groups if group]


def _fts_phrase(term):
    return '"' + term.replace('"', '""') + '"'


def fts_expression(groups):
    """An FTS5 query: every group (AND), any of its spellings (OR), each a phrase."""
    return " AND ".join("(" + " OR ".join(map(_fts_phrase, group)) + ")" for group in groups)


def _split(groups):
    groups = searched_spellings(groups)
    indexed = [group for group in groups if all(len(spelling) >= TRIGRAM for spelling in group)]
    return indexed, [group for group in groups if group not in indexed]


def ranked_by_index(models, expanded, limit, within):
    """For each model (a kind), the best `limit` of its published records matching
    the query, and how many match: {model: [(pk, matches)]}, every kind in one
    query. The rank is the earliest mention (history.search.earliest_mention),
    then the key.

    Bounded: for each kind the index gives the first `within` + 1 matches it finds
    (in its own order, stopping there), and only those are counted and ranked. So
    a word that every record holds costs what a rarer one does; `matches` past
    `within` means "more than `within`" (history.search). Read from the index's
    own tables (they say what is published too), not from the records' rows, so
    it costs little however wide they are. None where the index cannot find the
    matches (another database; on SQLite, no term of three characters): the
    caller finds them."""
    from django.db import connections, router

    if any(router.db_for_read(model) != "default" for model in models):
        return None
    connection = connections["default"]
    finder = {"postgresql": _found_on_postgresql, "sqlite": _found_on_sqlite}.get(connection.vendor)
    if finder is None:
        return None
    found = [finder(connection, model, expanded) for model in models]
    if None in found:
        return None
    groups = [list(group) for group in expanded if group]
    # Ranked by the heads the matches were found with: no wide row, and no second
    # read of the index's table for each match.
    rank, rank_params = earliest_mention_sql("head", groups, connection.vendor)
    # One round trip for every kind: each kind's best, in a subquery of its own
    # (as both databases allow a limited, ordered query in a compound one).
    parts, params = [], []
    for place, (found_sql, found_params) in enumerate(found):
        parts.append(
            f"SELECT {place} AS kind, id, matches, earliest FROM ("
            f"WITH found AS ({found_sql} LIMIT %s) "
            f"SELECT id, (SELECT COUNT(*) FROM found) AS matches, {rank} AS earliest FROM found "
            f"ORDER BY earliest, id LIMIT %s) AS kind_{place}"
        )
        params += [*found_params, within + 1, *rank_params, limit]
    sql = " UNION ALL ".join(parts) + " ORDER BY kind, earliest, id"
    ranked = {model: [] for model in models}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for place, pk, matches, _earliest in cursor.fetchall():
            ranked[models[place]].append((pk, matches))
    return ranked


def _found_on_sqlite(connection, model, expanded):
    """The keys and heads of the published matches, as the index finds them (no order: it
    stops at the limit), each checked as published in the head table; None when no
    term has three characters. A term under three is matched in the records' own
    text, on the rows the index found."""
    indexed, short = _split(expanded)
    if not indexed:
        return None
    index, table = search_table(model), model._meta.db_table
    # CROSS JOIN: SQLite then reads the index first and each match's head by its key.
    sql = f"SELECT h.id, h.head FROM {index} CROSS JOIN {index}_head h ON h.id = {index}.rowid"
    params = []
    condition = f"{index} MATCH %s AND h.published"
    if short:
        sql += f" CROSS JOIN {table} t ON t.id = h.id"
        like, params = like_sql("t.search_text", short, connection)
        condition += f" AND {like}"
    return f"{sql} WHERE {condition}", [fts_expression(indexed), *params]


def _found_on_postgresql(connection, model, expanded):
    """The keys and heads of the published matches, from the kind's search table alone."""
    condition, params = like_sql("s.search_text", searched_spellings(expanded), connection)
    return f"SELECT s.id, s.head FROM {search_table(model)} s WHERE s.published AND {condition}", params


# Each database's functions for where a text occurs in another (the text searched
# first in both) and for the least of several values.
POSITION_AND_LEAST = {"postgresql": ("STRPOS", "LEAST"), "sqlite": ("instr", "MIN")}


def earliest_mention_sql(head, groups, vendor):
    """How early the head names the query: for each term, the first place any of its
    spellings occurs in it, added up (history.search.earliest_mention, in SQL)."""
    position, least = POSITION_AND_LEAST[vendor]
    positions, params = [], []
    for spellings in groups:
        found = [f"COALESCE(NULLIF({position}({head}, %s), 0), {NOT_FOUND})" for _spelling in spellings]
        positions.append(f"{least}({', '.join(found)})" if len(found) > 1 else found[0])
        params.extend(spellings)
    return " + ".join(positions), params


def like_sql(column, groups, connection):
    """Every group (AND) in any of its spellings (OR), each a LIKE on the column."""
    sql, params = [], []
    for group in groups:
        alternatives = []
        for spelling in group:
            alternatives.append(f"{column} LIKE %s ESCAPE '\\'")
            params.append(f"%{connection.ops.prep_for_like_query(spelling)}%")
        sql.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(sql) or "1=1", params


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
        lhs, _params = self.process_lhs(compiler, connection)  # a column: no parameters
        return like_sql(lhs, groups, connection)

    def as_sql(self, compiler, connection):
        return self._like(compiler, connection, self._groups())

    def as_postgresql(self, compiler, connection):
        index = search_table(self.lhs.target.model)
        alias = compiler.quote_name_unless_alias(self.lhs.alias)
        sql, params = like_sql(f"{index}.search_text", searched_spellings(self._groups()), connection)
        return f"{alias}.id IN (SELECT id FROM {index} WHERE {sql})", params

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

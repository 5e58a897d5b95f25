"""The SQL of a query a page runs in the same shape on every request, built once.

Django builds a query's SQL from its parts each time the query runs: for a record
of the translated models (30 to 60 columns, each named and quoted, the ordering
resolved) that took 0.3 to 0.45 ms a query, against about 0.1 ms to run it, and a
record page runs six to eight. Where a page's query differs from one request to
the next by one value only (the record's slug, or the record a tie belongs to),
`rows()` builds the SQL once, with a stand-in for that value, and from then on
puts the value in its place.

The queryset is still built on every request, so what it says about itself (its
model, its filters, its prefetches, which run as usual) is the truth; only the
step from it to SQL is skipped. tests/test_prepared.py checks, for every query
that goes through here, that the SQL run is the SQL Django builds for it."""

import functools

from django.utils.translation import get_language

# What a compiler works out while building the SQL and reads again when it turns
# rows into records (django.db.models.query.ModelIterable, results_iter).
COMPILED = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")

# Values no query of the site has as a constant: an id no row has (ids start at 1),
# inside every database's integer range (Django leaves a value outside it out of
# the SQL), and a text with a NUL, which no request may carry
# (history.middleware.NulRefusalMiddleware).
STAND_INS = {int: -1_999_999_999, str: "\x00stand-in\x00"}


class Statement:
    """One shape of query: its SQL, its parameters with the value's places marked,
    and what its compiler worked out."""

    def __init__(self, queryset, stand_in):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        self.places = tuple(i for i, param in enumerate(params) if type(param) is type(stand_in) and param == stand_in)
        if not self.places:
            raise ValueError(f"the value is not a parameter of this query: {self.sql}")
        self.compiled = {name: getattr(compiler, name) for name in COMPILED}

    def params_with(self, value):
        params = list(self.params)
        for place in self.places:
            params[place] = value
        return params

    def compiler(self, query, value, using, connection=None, elide_empty=True):
        """A compiler for `query` (the one built with `value`) with the SQL already made."""
        compiler = query.__class__.get_compiler(query, using, connection, elide_empty)
        vars(compiler).update(self.compiled)
        sql, params = self.sql, self.params_with(value)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        return compiler


# One Statement for each name, language (modeltranslation names the reader's
# language's columns as a queryset is built), database, type of value and slice:
# a few dozen in all. Two threads building the same one at once both build it; either
# result is the same.
_statements = {}


def rows(name, build, value):
    """build(value), a queryset, evaluated (prefetches and all) with its SQL built
    once for `name`. `build` must make the same shape of query for every value of
    its type: the same filters, ordering and limits, the value in them only."""
    queryset = build(value)
    query = queryset.query
    # Its slice too: a limit is easy to change where a queryset is built, and cheap to read.
    key = (name, get_language(), queryset.db, type(value), query.low_mark, query.high_mark)
    shape = _statements.get(key)
    if shape is None:
        stand_in = STAND_INS[type(value)]
        shape = _statements[key] = Statement(build(stand_in), stand_in)
    query.get_compiler = functools.partial(shape.compiler, query, value)
    try:
        queryset._fetch_all()
    finally:
        # A query cloned from this one later (queryset.filter()) builds its own SQL.
        del query.get_compiler
    return queryset

"""The queries a page runs in the same shape on every request, built once.

Django builds a query from its parts each time it runs: the queryset (each
filter resolved through the translated fields' names, 0.1 to 0.3 ms a filter) and
then its SQL (for a record of the translated models, 30 to 60 columns, each named
and quoted, the ordering resolved: 0.3 to 0.45 ms a query), against about 0.1 ms
to run it; a record page runs six to eight. Where a page's query differs from one
request to the next by one value only (the record's slug, the record a tie
belongs to, or the ids of a tie's rows whose own ties are read next), `rows()`
builds both once, with a stand-in for that value: the queryset (a Shape) and its
SQL (a Statement). From then on a request gets a copy of the kept queryset with
the value put in its conditions, where the stand-in stood, and its SQL with the
value put among the parameters. The converters of its columns (what turns
SQLite's texts into dates and decimals) are worked out once too.

The copy is the queryset Django would have built for the value: its conditions
name the value, so what it says about itself is the truth, and a query made
from it later (queryset.filter()) builds its own SQL for the value.
tests/test_prepared.py checks, for every query that goes through here, that the
SQL run is the SQL Django builds for it, and that the queryset given back reads
the same rows when Django runs it alone."""

import functools
import operator

from django.db.models.lookups import Lookup
from django.db.models.sql.where import WhereNode
from django.utils.translation import get_language

# What a compiler works out while building the SQL and reads again when it turns
# rows into records (django.db.models.query.ModelIterable, results_iter).
COMPILED = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")

# Values no query of the site has as a constant: ids no row has (ids start at 1),
# inside every database's integer range (Django leaves a value outside it out of
# the SQL), and a text with a NUL, which no request may carry
# (history.middleware.NulRefusalMiddleware).
STAND_IN_ID = -1_999_999_999
STAND_IN_TEXT = "\x00stand-in\x00"
# A list of ids (an IN) is read with the Statement of the next of these lengths,
# the places past its own ids filled with ids no row has (NO_ROW_ID down): eight
# Statements cover every list up to the longest (a timeline window's hundred
# records of a kind, a page's twenty, a tie's ties), and a longer list is built by
# Django each time.
LIST_LENGTHS = (1, 2, 4, 8, 16, 32, 64, 128)
NO_ROW_ID = -1


def stand_in(value):
    """The stand-in for a value of value's type (and length, for a tuple of ids)."""
    if isinstance(value, tuple):
        return tuple(STAND_IN_ID - place for place in range(len(value)))
    return STAND_IN_TEXT if isinstance(value, str) else STAND_IN_ID


def padded(ids):
    """A tuple of distinct ids made as long as the next of LIST_LENGTHS with ids no
    row has, distinct too (Django's IN drops a repeated value): the same rows."""
    length = next(length for length in LIST_LENGTHS if length >= len(ids))
    return ids + tuple(NO_ROW_ID - place for place in range(length - len(ids)))


class Statement:
    """One shape of query: its SQL, its parameters with the value's places marked
    (for a tuple, each item's), and what its compiler worked out."""

    def __init__(self, queryset, stand_in):
        compiler = queryset.query.get_compiler(using=queryset.db)
        self.sql, params = compiler.as_sql()
        self.params = tuple(params)
        items = stand_in if isinstance(stand_in, tuple) else (stand_in,)
        item_of = {(type(item), item): index for index, item in enumerate(items)}
        self.places = tuple(
            (place, item_of[type(param), param])
            for place, param in enumerate(params)
            if isinstance(param, (int, str)) and (type(param), param) in item_of
        )
        if {index for _place, index in self.places} != set(range(len(items))):
            raise ValueError(f"the value is not a parameter of this query: {self.sql}")
        self.compiled = {name: getattr(compiler, name) for name in COMPILED}
        self._converters = None

    def params_with(self, value):
        items = value if isinstance(value, tuple) else (value,)
        params = list(self.params)
        for place, index in self.places:
            params[place] = items[index]
        return params

    def compiler(self, query, value, using, connection=None, elide_empty=True):
        """A compiler for `query` (the one built with `value`) with the SQL already made."""
        compiler = query.__class__.get_compiler(query, using, connection, elide_empty)
        vars(compiler).update(self.compiled)
        sql, params = self.sql, self.params_with(value)
        compiler.as_sql = lambda *args, **kwargs: (sql, params)
        compiler.get_converters = functools.partial(self.converters, compiler)
        return compiler

    def converters(self, compiler, expressions):
        """compiler.get_converters(expressions), worked out once (it asked every
        column's field and the backend, about 40 µs a query) and bound to this
        compiler's connection: the backend's converters are methods of a
        connection's operations (SQLite's dates read its time zone), and a request
        may have a connection of its own. Anything else goes to Django."""
        columns = [column for column, *_rest in self.compiled["select"][: self.compiled["col_count"]]]
        if len(expressions) != len(columns) or any(map(operator.is_not, expressions, columns)):
            return type(compiler).get_converters(compiler, expressions)
        if self._converters is None:
            self._converters = _converter_plan(compiler, type(compiler).get_converters(compiler, expressions))
        if self._converters is ASK_DJANGO:
            return type(compiler).get_converters(compiler, expressions)
        operations = compiler.connection.ops
        return {
            place: ([getattr(operations, step) if isinstance(step, str) else step for step in steps], expression)
            for place, (steps, expression) in self._converters.items()
        }


# A Statement whose converters cannot be kept: asked of Django on every query.
ASK_DJANGO = object()


def _converter_plan(compiler, converters):
    """Django's converters with each method of the connection's operations named
    instead, to be found again on the connection of the query that runs; ASK_DJANGO
    if any other converter holds on to the connection or its operations (none of
    SQLite's or PostgreSQL's does: their decimal converter is a function made for
    the column, of its field's places)."""
    connection = compiler.connection
    plan = {}
    for place, (steps, expression) in converters.items():
        named = []
        for step in steps:
            owner = getattr(step, "__self__", None)
            held = [cell.cell_contents for cell in getattr(step, "__closure__", None) or ()]
            if owner is connection or any(value is connection or value is connection.ops for value in held):
                return ASK_DJANGO
            named.append(step.__name__ if owner is connection.ops else step)
        plan[place] = (named, expression)
    return plan


class Shape:
    """One shape of query as a queryset: built once with the stand-in, the places
    in its conditions where the stand-in stands, and its Statement. queryset()
    gives a copy of it with a value in those places. Where the stand-in is not
    only in plain conditions of the queryset's own (a subquery's, say), the
    queryset is built for each value instead, and only its SQL is kept."""

    def __init__(self, build, stand_in, limit):
        self.statement = Statement(limited(build(stand_in), limit), stand_in)
        # Built again: making the SQL sets up the query it is made from, and the
        # copies are to start as Django's own querysets do, from one never compiled.
        template = limited(build(stand_in), limit)
        self.places = list(_places(template.query.where, stand_in))
        # Every parameter of the SQL that holds the stand-in, and no more, in a
        # condition found here; and nothing a copy would share with the first
        # request's queryset: a prefetch's own queryset, which Django's
        # prefetching writes to, or a related manager's record, given to every row.
        found = sorted(item for _path, items in self.places for item in (items or (0,)))
        shared = template._prefetch_related_lookups or template._known_related_objects or template._hints
        kept = not shared and found == sorted(item for _place, item in self.statement.places)
        self.template = template if kept else None

    def queryset(self, build, value, limit):
        if self.template is None:
            return limited(build(value), limit)
        queryset = self.template._chain()
        where = queryset.query.where  # a copy, its nodes copies; the conditions shared
        for path, items in self.places:
            node = where
            for index in path[:-1]:
                node = node.children[index]
            condition = node.children[path[-1]]
            given = value if items is None else tuple(value[item] for item in items)
            # As Django builds a condition (Query.build_lookup): the value prepared for its column.
            node.children[path[-1]] = type(condition)(condition.lhs, given)
        return queryset


def _places(where, stand_in, path=()):
    """(path, items) of each condition whose value is the stand-in: the indexes of
    the nodes down to it, and for a tuple of ids the place in it of each value of
    the condition's list (None for one value)."""
    items = stand_in if isinstance(stand_in, tuple) else (stand_in,)
    place_of = {(type(item), item): index for index, item in enumerate(items)}
    for index, child in enumerate(where.children):
        if isinstance(child, WhereNode):
            yield from _places(child, stand_in, (*path, index))
        elif isinstance(child, Lookup):
            many = isinstance(child.rhs, (list, tuple))
            values = child.rhs if many else (child.rhs,)
            # Ids and texts only: a subquery or an expression is no stand-in (nor always hashable).
            marked = tuple(
                place_of.get((type(value), value)) if type(value) in (int, str) else None for value in values
            )
            if any(place is not None for place in marked):
                # A list of the stand-in's ids only, or the one value: else the
                # parameters do not match and the queryset is built each time.
                if None not in marked and many == isinstance(stand_in, tuple):
                    yield (*path, index), (marked if many else None)


def limited(queryset, limit):
    if queryset.query.is_sliced:
        raise ValueError("a query of rows() is limited by its `limit`, not sliced where it is built")
    return queryset if limit is None else queryset[:limit]


# One Shape for each name, language (modeltranslation names the reader's
# language's columns as a queryset is built), type of value (and length) and
# limit: a few dozen in all, a few hundred at most with the lists. Two threads
# building the same one at once both build it; either result is the same.
_shapes = {}


def rows(name, build, value, limit=None):
    """build(value), a queryset, limited to its first `limit` rows and evaluated
    (prefetches and all), with the queryset and its SQL built once for `name`.
    `build` must make the same shape of query for every value of its type: the
    same filters and ordering, the value in them only, read from the same
    database; a limit goes in `limit`, where it is part of the shape. The value is
    an id, a text, or a tuple of distinct ids (built padded: padded())."""
    if isinstance(value, tuple):
        if not 0 < len(value) <= LIST_LENGTHS[-1]:
            queryset = limited(build(value), limit)
            queryset._fetch_all()
            return queryset
        value = padded(value)
    key = (name, get_language(), type(value), len(value) if isinstance(value, tuple) else None, limit)
    shape = _shapes.get(key)
    if shape is None:
        shape = _shapes[key] = Shape(build, stand_in(value), limit)
    queryset = shape.queryset(build, value, limit)
    query = queryset.query
    query.get_compiler = functools.partial(shape.statement.compiler, query, value)
    try:
        queryset._fetch_all()
    finally:
        # A query cloned from this one later (queryset.filter()) builds its own SQL.
        del query.get_compiler
    return queryset


def in_order(name, build, keys):
    """rows(name, build, keys) for a tuple of keys, the records in the order of the
    keys (a key no row has, or none the query lets through, left out)."""
    found = {row.pk: row for row in rows(name, build, keys)} if keys else {}
    return [found[key] for key in keys if key in found]


def lines(model, keys):
    """The records of a kind with these keys, as a list's lines (for_lines), in the
    order of the keys: a search's results, a timeline window's records."""
    return in_order(
        f"{model._meta.label}.lines", lambda chosen: model.objects.filter(pk__in=chosen).order_by().for_lines(), keys
    )

"""The first step of an import: every object checked as it is read, nothing written.

What later checks need is kept per natural key only: where each object is (a Place, for
messages), the published records that need a citation, the values of other unique
fields, and the references whose target may still come later in the files. Objects
whose key the database holds are compared with their rows a batch at a time (one query
per batch), so "unchanged" needs no copy of every row. What is to be written leaves
through `keep` as a Pending and is forgotten here.
"""

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from django.db import models
from django.utils.translation import gettext as _

from history import kinds
from history.models import Citation, Publishable
from history.publishing import NOT_A_PUBLISHER_MESSAGE

from .format import (
    SlugIndex,
    canonical_value,
    field_specs,
    get_model,
    iter_keys,
    iter_records,
    model_label,
    natural_key,
)
from .reader import Problem
from .validate import PENDING, clean, field_problems, normalise_names

BATCH_SIZE = 500  # objects compared with the database, and spilled, together
CITED = {kind.name for kind in kinds.CITED}  # published records need a citation (DESIGN.md)


@dataclass(slots=True)
class Pending:
    """One valid object that importing would create (pk None) or change: what the write
    step needs, and nothing else."""

    key: tuple
    file: str
    pk: int | None
    fields: dict  # canonical (format.py): references are natural keys until written


class DatabaseKeys(dict):
    """model name -> {natural key: pk} of its rows, one query per model when first asked;
    the write step adds the rows it creates."""

    def __missing__(self, model_name):
        self[model_name] = keys = {key: pk for pk, key in iter_keys(model_name)}
        return keys


class Check:
    def __init__(self, report, keep, *, prune=False, may_publish=True, may_delete=lambda model_name: True):
        self.report = report
        self.keep = keep  # called with (model name, Pending) for each object to write
        self.prune = prune  # records not in the files will be deleted: they cannot be referred to
        self.may_publish = may_publish
        self.may_delete = may_delete  # model name -> whether the importing user may delete its records
        self.database = DatabaseKeys()
        self.places = defaultdict(dict)  # model name -> {key: Place} of every object in the files
        self.deferred = []  # (target, target key, Problem to report if it is missing)
        self.unique = defaultdict(dict)  # (model name, field) -> {value: (key, Place)}
        self.uncited = []  # (model name, key) of published records, until citations are counted
        self.cited = defaultdict(set)  # kind -> {slug} of records cited in the files
        self.compare = defaultdict(list)  # model name -> [Pending] of rows the database holds
        self.slugs = SlugIndex()

    def add(self, raw):
        """Check one RawObject."""
        model_name, place = raw.model_name, raw.place
        model = get_model(model_name)
        fields, unknown = normalise_names(model, raw.fields)
        key = tuple(part if isinstance(part, str) else "" for part in natural_key(model_name, fields))
        problems = []

        def report(name, message):
            problems.append(Problem.at(place, model_label(model_name), key, name, message))

        first = self.places[model_name].setdefault(key, place)
        if first is not place:
            report("", _("the same natural key appears twice; first at %(first)s") % {"first": first})
            self.report.problems += problems
            return
        for name in unknown:
            report(name, _("unknown field"))
        for name, message in field_problems(model, fields):
            report(name, message)
        # Fields already found wrong take their default, so that every other field is
        # still checked and the file's author sees all problems at once.
        bad = {problem.field for problem in problems}
        specs = field_specs(model)
        given = {
            s.name: fields[s.name] if s.name in fields and s.name not in bad else s.field.get_default() for s in specs
        }
        canonical = {}
        for spec in (spec for spec in specs if spec.kind != "value"):  # references: now, or when every file is read
            value = given[spec.name]
            many = spec.kind == "m2m"
            targets = sorted({tuple(part) for part in value or ()}) if many else [tuple(value)] if value else []
            canonical[spec.name] = [list(target) for target in targets] if many else (list(value) if value else None)
            for target in targets:
                self._refer(spec, target, place, model_name, key)
        # A foreign key set to PENDING is enough for clean() to see that it is set.
        values = {s.attname: given[s.name] for s in specs if s.kind == "value"}
        values.update({s.attname: PENDING if canonical[s.name] else None for s in specs if s.kind == "fk"})
        instance = model(**values)
        for name, message in clean(model, instance, bad):
            report(name, message)
        if problems:
            self.report.problems += problems
            return
        for spec in specs:
            if spec.kind == "value":
                canonical[spec.name] = canonical_value(spec.field, getattr(instance, spec.attname))
        self._remember_unique(model, model_name, instance, key, place)
        published = canonical.get("status") == Publishable.Status.PUBLISHED
        if published and model_name in CITED:
            self.uncited.append((model_name, key))
        if model_name == "citation":
            self.cited[key[0]].add(key[1])
        pending = Pending(key, place.file, self.database[model_name].get(key), canonical)
        if pending.pk is None:
            if published and not self.may_publish:
                self._problem(place, model_name, key, "status", str(NOT_A_PUBLISHER_MESSAGE))
            self.report.counts[model_name]["created"] += 1
            self.keep(model_name, pending)
        else:
            self.compare[model_name].append(pending)
            if len(self.compare[model_name]) >= BATCH_SIZE:
                self._compare(model_name)

    def finish(self):
        """The checks that need every file read. Afterwards only the database keys remain."""
        for model_name in list(self.compare):
            self._compare(model_name)
        imported = [name for name in kinds.import_order() if self.places.get(name)]
        for target, key, problem in self.deferred:
            if key not in self.places[target] and (
                key not in self.database[target] or (self.prune and target in imported)
            ):
                message = _("refers to %(model)s %(key)r, which is neither in the files nor in the database")
                problem.message = message % {"model": model_label(target), "key": "/".join(key)}
                self.report.problems.append(problem)
        self._check_unique_in_database()
        self._check_citations(imported)
        if self.prune:
            for model_name in imported:
                in_files = self.places[model_name]
                gone = sorted(key for key in self.database[model_name] if key not in in_files)
                self.report.deletions[model_name] = gone
                self.report.counts[model_name]["deleted"] = len(gone)
                if gone and not self.may_delete(model_name):
                    # The same right as the admin's delete: only publishers have it.
                    message = _("--prune would delete this record, and you may not delete records")
                    self.report.problems += [Problem("", "", model_label(model_name), key, "", message) for key in gone]
        self.places = self.deferred = self.unique = self.uncited = self.cited = None

    def _problem(self, place, model_name, key, field, message):
        self.report.problems.append(Problem.at(place, model_label(model_name), key, field, message))

    def _refer(self, spec, target_key, place, model_name, key):
        """A reference is fine now if the files named its target already, or (without
        --prune, which may delete it) the database holds it; otherwise it is looked at
        again when every file has been read."""
        target = spec.field.related_model._meta.model_name
        if target_key not in self.places[target] and (self.prune or target_key not in self.database[target]):
            self.deferred.append((target, target_key, Problem.at(place, model_label(model_name), key, spec.name)))

    def _compare(self, model_name):
        """Sort a batch of objects that the database holds into unchanged and updated,
        comparing canonical fields with the rows (one query, by primary key)."""
        batch = self.compare.pop(model_name, [])
        rows = get_model(model_name)._base_manager.filter(pk__in=[pending.pk for pending in batch])
        current = {pk: fields for pk, _key, fields in iter_records(model_name, rows, self.slugs)}
        counts = self.report.counts[model_name]
        for pending in batch:
            before = current.get(pending.pk, {})
            if before == pending.fields:
                counts["unchanged"] += 1
                continue
            if not self.may_publish and before.get("status") != pending.fields.get("status"):
                place = self.places[model_name][pending.key]
                self._problem(place, model_name, pending.key, "status", str(NOT_A_PUBLISHER_MESSAGE))
            counts["updated"] += 1
            self.keep(model_name, pending)

    def _remember_unique(self, model, model_name, instance, key, place):
        """Unique fields that are not the natural key (an IATI identifier, say)."""
        for name in _extra_unique_fields(model):
            value = getattr(instance, name)
            if value in (None, ""):
                continue
            other, other_place = self.unique[(model_name, name)].setdefault(value, (key, place))
            if other != key:
                message = _("%(value)r is already used by %(other)r in %(where)s")
                values = {"value": value, "other": "/".join(other), "where": str(other_place)}
                self._problem(place, model_name, key, name, message % values)

    def _check_unique_in_database(self):
        if self.prune:
            return  # a record the files do not hold is about to be deleted
        for (model_name, name), values in self.unique.items():
            for value, slug in _matching(get_model(model_name)._base_manager, name, values, name, "slug"):
                key, place = values[value]
                if (slug,) != key and (slug,) not in self.places[model_name]:
                    message = _("%(value)r is already used by %(other)r in the database")
                    self._problem(place, model_name, key, name, message % {"value": value, "other": slug})

    def _check_citations(self, imported):
        """Published records need a citation (DESIGN.md), in the files or the database."""
        uncited = [(name, key) for name, key in self.uncited if key[0] not in self.cited[name]]
        in_database = set()
        if not (self.prune and "citation" in imported):
            for kind in {name for name, _key in uncited}:
                slugs = [key[0] for name, key in uncited if name == kind]
                lookup = f"{kind}__slug"
                in_database.update((kind, slug) for (slug,) in _matching(Citation.objects, lookup, slugs, lookup))
        for model_name, key in uncited:
            if (model_name, key[0]) not in in_database:
                message = _("a published record needs at least one citation (in the files or the database)")
                self._problem(self.places[model_name][key], model_name, key, "status", message)


def _matching(queryset, lookup, values, *columns):
    """`columns` of the rows whose `lookup` is one of `values`, a batch of values per query."""
    values = list(values)
    for start in range(0, len(values), BATCH_SIZE):
        yield from queryset.filter(**{f"{lookup}__in": values[start : start + BATCH_SIZE]}).values_list(*columns)


@cache
def _extra_unique_fields(model):
    names = [f.name for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) == 1:
            names.append(constraint.fields[0])
    return [name for name in names if name != "slug" and not model._meta.get_field(name).is_relation]

"""Import fixture files: validate everything first, then upsert by natural key in one
transaction, so that files either go in whole or not at all.

Memory stays bounded by the number of natural keys, not by the size of the files:

- Pass 1 (check) streams every file (reader.py) and validates each object as it comes:
  names, JSON types, the model's full_clean and CheckConstraints. What later checks need
  is kept per natural key only (where the object is, for messages; published records
  needing a citation; values of other unique fields), plus the few references that
  cannot be resolved yet because their target comes later in the files. Objects whose
  key the database holds are compared with their rows a batch at a time (one query per
  batch, by primary key), so "unchanged" needs no fingerprint of every row. Objects to
  create or update are pickled, a batch at a time, to a temporary file per model (the
  "spill") and then forgotten.
- If pass 1 found a problem, or on --dry-run, nothing more happens.
- Pass 2 (write), inside one transaction, reads the spills back in model dependency
  order (MODEL_ORDER): new rows go in with bulk_create_with_history (which also writes
  their history rows) after the search column is filled here, as the pre_save signal
  would; changed rows go through save() so that simple-history and the signals see a
  normal edit.

Why a spill rather than reading the files again: pass 2 then needs neither to parse nor
to convert again, reads each model's objects in dependency order even when one file
mixes models (dumpdata output), skips unchanged objects without looking at them, and
writes exactly what was checked even if a file changes on disk in between (or was an
upload held in memory)."""

import pickle
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from history.content_version import content_changed
from history.models import Citation, Publishable
from history.signals import prepare_record

from .format import (
    MODEL_ORDER,
    SlugIndex,
    canonical_value,
    digest,
    get_model,
    iter_keys,
    iter_records,
    model_label,
    natural_key,
    specs_by_name,
)
from .reader import Problem, expand_paths, is_csv, iter_bytes, iter_file, where
from .validate import PENDING, check_type, clean_instance, normalise_names, required_names

# Published records of these models need at least one citation (DESIGN.md).
CITED = {"event": "event", "conference": "conference", "aidprogram": "aidprogram"}
BATCH_SIZE = 500  # objects compared, spilled and written together
STATUSES = ("created", "updated", "unchanged", "deleted")


def import_reason(file):
    """The change reason history records. simple-history keeps 100 characters, so
    the file is named without its (possibly long) directory."""
    return f"import_fixtures from {Path(str(file)).name}"[:100]


@dataclass(slots=True)
class Pending:
    """One valid object that importing would create (pk None) or change: what pass 2
    needs to write it, and nothing else. References stay natural keys until then."""

    key: tuple
    file: int  # index into Importer.files
    pk: int | None
    values: dict  # attname -> Python value, as full_clean left it
    refs: dict  # fk attname -> (target model name, key) or None
    m2m: dict  # m2m name -> [(target model name, key), ...]


@dataclass
class Report:
    dry_run: bool = False
    counts: dict = field(default_factory=lambda: defaultdict(lambda: dict.fromkeys(STATUSES, 0)))
    problems: list = field(default_factory=list)
    deletions: dict = field(default_factory=dict)  # model name -> [key, ...]
    written: bool = False

    @property
    def ok(self):
        return not self.problems

    def count_lines(self, prune=False):
        lines = []
        for model_name in MODEL_ORDER:
            if model_name not in self.counts:
                continue
            counts = self.counts[model_name]
            text = _("%(model)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
                "model": model_label(model_name),
                **counts,
            }
            if prune:
                text += _(", %(deleted)d deleted") % counts
            lines.append(text)
        return lines

    def summary(self):
        files = len({problem.file for problem in self.problems})
        return _("%(count)d problem(s) in %(files)d file(s); nothing was imported.") % {
            "count": len(self.problems),
            "files": files,
        }


class Spill:
    """Objects waiting for pass 2, pickled to an anonymous temporary file a batch at a time."""

    def __init__(self):
        self.stream = tempfile.TemporaryFile(prefix="history-import-")
        self.batch = []

    def add(self, pending):
        self.batch.append(pending)
        if len(self.batch) >= BATCH_SIZE:
            self.flush()

    def flush(self):
        if self.batch:
            pickle.dump(self.batch, self.stream, protocol=pickle.HIGHEST_PROTOCOL)
            self.batch = []

    def batches(self):
        self.flush()
        self.stream.seek(0)
        while True:
            try:
                yield pickle.load(self.stream)
            except EOFError:
                return

    def close(self):
        self.stream.close()


class _Rollback(Exception):
    pass


class Importer:
    def __init__(self, *, dry_run=False, prune=False, progress=None, progress_every=10000, user=None):
        self.dry_run = dry_run
        self.prune = prune
        self.progress = progress or (lambda message: None)
        self.progress_every = progress_every
        self.user = user
        self.report = Report(dry_run=dry_run)
        self.files = []  # file names; a "place" is file index << 32 | object or line number
        self.places = defaultdict(dict)  # model name -> {key: place} of every object in the files
        self.database = {}  # model name -> {key: pk} of the rows in the database (and, in pass 2, new ones)
        self.deferred = []  # (target, target key, model name, key, place, field): references checked at the end
        self.unique_values = defaultdict(dict)  # (model name, field) -> {value: (key, place)}
        self.published = defaultdict(list)  # model name -> [key] of published records that need a citation
        self.cited = defaultdict(set)  # kind -> {slug} of records cited in the files
        self.compare = defaultdict(list)  # model name -> [(Pending, canonical)] of rows to compare with the database
        self.spills = {}  # model name -> Spill
        self.slugs = SlugIndex()
        self.checked = 0
        self.written = 0

    # Entry points -------------------------------------------------------------

    def run_paths(self, paths):
        files, problems = expand_paths(paths)
        self.report.problems += problems
        return self._run((str(path), iter_file(path)) for path in _dependency_order(files))

    def run_bytes(self, named_data):
        """[(file name, bytes)], e.g. an upload in the admin."""
        ordered = _dependency_order(named_data, name=lambda pair: pair[0])
        return self._run((name, iter_bytes(name, data)) for name, data in ordered)

    # Steps --------------------------------------------------------------------

    def _run(self, readers):
        try:
            for name, objects in readers:
                self._read(name, objects)
            self._finish_checks()
            if self.report.problems or self.dry_run:
                return self.report
            try:
                with transaction.atomic(), translation.override("en"):
                    self._write()
                    if self.report.problems:
                        raise _Rollback
            except _Rollback:
                return self.report
            self.report.written = True
            return self.report
        finally:
            for spill in self.spills.values():
                spill.close()

    def _read(self, name, objects):
        index = len(self.files)
        self.files.append(name)
        for item in objects:
            if isinstance(item, Problem):
                self.report.problems.append(item)
                continue
            self._check(item.model_name, item, index << 32 | item.number)
            self.checked += 1
            if self.checked % self.progress_every == 0:
                self.progress(f"checked {self.checked} objects")

    def _finish_checks(self):
        for model_name in list(self.compare):
            self._compare(model_name)
        self._check_deferred()
        self._check_unique()
        self._check_citations()
        if self.prune:
            for model_name in self.imported:
                in_files = self.places[model_name]
                gone = sorted(key for key in self._database_keys(model_name) if key not in in_files)
                self.report.deletions[model_name] = gone
                self.report.counts[model_name]["deleted"] = len(gone)
        self.places.clear()  # pass 2 needs no positions
        self.unique_values.clear()
        self.published.clear()
        self.cited.clear()

    @property
    def imported(self):
        return [name for name in MODEL_ORDER if self.places.get(name)]

    def _where(self, place):
        """(file name, "object 3" or "line 12") of a place."""
        file = self.files[place >> 32]
        return file, where(place & 0xFFFFFFFF, is_csv(file))

    def _database_keys(self, model_name):
        """{natural key: pk} of the rows in the database, one query per model."""
        if model_name not in self.database:
            self.database[model_name] = {key: pk for pk, key in iter_keys(model_name)}
        return self.database[model_name]

    # Pass 1 -------------------------------------------------------------------

    def _check(self, model_name, raw, place):
        model = get_model(model_name)
        label = model_label(model_name)
        fields, unknown = normalise_names(model, raw.fields)
        key = _guess_key(model_name, fields)
        problems = []

        def report(name, message):
            problems.append(Problem(raw.file, raw.where, label, key, name, message))

        first = self.places[model_name].get(key)
        if first is not None:
            report(
                "",
                _("the same natural key appears twice; first at %(first)s") % {"first": ", ".join(self._where(first))},
            )
            self.report.problems += problems
            return
        self.places[model_name][key] = place
        for name in unknown:
            report(name, _("unknown field"))
        specs = specs_by_name(model)
        for name in required_names(model):
            if name not in fields:
                report(name, _("required field is missing"))
            elif fields[name] in (None, "") and specs[name].field.blank:
                report(name, _("this field is required"))  # a default-language translation
        for name, value in fields.items():
            message = check_type(specs[name], value)
            if message:
                report(name, message)
        # Fields already found wrong take their default, so that every other field is
        # still checked and the file's author sees all problems at once.
        bad = {problem.field for problem in problems}

        values, refs, m2m, canonical = {}, {}, {}, {}
        for spec in specs.values():
            value = fields[spec.name] if spec.name in fields and spec.name not in bad else spec.field.get_default()
            if spec.kind == "m2m":
                targets = sorted({tuple(part) for part in value or ()})
                target = spec.field.related_model._meta.model_name
                for target_key in targets:
                    self._resolve(target, target_key, model_name, key, place, spec.name)
                m2m[spec.name] = [(target, target_key) for target_key in targets]
                canonical[spec.name] = [list(target_key) for target_key in targets]
            elif spec.kind == "fk":
                if value is None:
                    values[spec.attname] = refs[spec.attname] = canonical[spec.name] = None
                    continue
                target = spec.field.related_model._meta.model_name
                target_key = tuple(value)
                self._resolve(target, target_key, model_name, key, place, spec.name)
                values[spec.attname] = PENDING  # enough for clean() to see that it is set
                refs[spec.attname] = (target, target_key)
                canonical[spec.name] = list(target_key)
            else:
                values[spec.attname] = value
        instance = model(**values)
        for name, messages in clean_instance(model, instance).items():
            if name in bad:
                continue
            for message in messages:
                report(name, message)
        if problems:
            self.report.problems += problems
            return
        plain = {}
        for spec in specs.values():
            if spec.kind == "value":
                plain[spec.attname] = value = getattr(instance, spec.attname)
                canonical[spec.name] = canonical_value(spec.field, value)

        self._remember_unique(model, model_name, instance, key, place, raw)
        if model_name in CITED and canonical.get("status") == Publishable.Status.PUBLISHED:
            self.published[model_name].append(key)
        if model_name == "citation":
            self.cited[key[0]].add(key[1])  # the slug shared with the key, not a new tuple

        pending = Pending(key, place >> 32, self._database_keys(model_name).get(key), plain, refs, m2m)
        if pending.pk is None:
            self.report.counts[model_name]["created"] += 1
            self._spill(model_name, pending)
        else:
            self.compare[model_name].append((pending, canonical))
            if len(self.compare[model_name]) >= BATCH_SIZE:
                self._compare(model_name)

    def _compare(self, model_name):
        """Sort a batch of objects that the database holds into unchanged and updated,
        comparing canonical fields with the rows (one query, by primary key)."""
        batch = self.compare.pop(model_name, [])
        if not batch:
            return
        rows = get_model(model_name)._base_manager.filter(pk__in=[pending.pk for pending, _fields in batch])
        current = {pk: digest(fields) for pk, _key, fields in iter_records(model_name, rows, self.slugs)}
        counts = self.report.counts[model_name]
        for pending, canonical in batch:
            if current.get(pending.pk) == digest(canonical):
                counts["unchanged"] += 1
            else:
                counts["updated"] += 1
                self._spill(model_name, pending)

    def _spill(self, model_name, pending):
        if self.dry_run:
            return  # nothing will be written
        if model_name not in self.spills:
            self.spills[model_name] = Spill()
        self.spills[model_name].add(pending)

    def _resolve(self, target, key, model_name, own_key, place, field_name):
        """Check a reference now if the files named its target already, or (without
        --prune, which may delete it) the database holds it; otherwise at the end,
        when every file has been read."""
        if key in self.places[target]:
            return
        if not self.prune and key in self._database_keys(target):
            return
        self.deferred.append((target, key, model_name, own_key, place, field_name))

    def _check_deferred(self):
        imported = set(self.imported)
        for target, key, model_name, own_key, place, field_name in self.deferred:
            if key in self.places[target]:
                continue
            if key in self._database_keys(target) and not (self.prune and target in imported):
                continue
            self.report.problems.append(
                Problem(
                    *self._where(place),
                    model_label(model_name),
                    own_key,
                    field_name,
                    _("refers to %(model)s %(key)r, which is neither in the files nor in the database")
                    % {"model": model_label(target), "key": "/".join(key)},
                )
            )
        self.deferred.clear()

    def _remember_unique(self, model, model_name, instance, key, place, raw):
        """Unique fields that are not the natural key (an IATI identifier, say)."""
        for name in _extra_unique_fields(model):
            value = getattr(instance, name)
            if value in (None, ""):
                continue
            seen = self.unique_values[(model_name, name)]
            if value in seen:
                other, other_place = seen[value]
                self.report.problems.append(
                    Problem(
                        raw.file,
                        raw.where,
                        model_label(model_name),
                        key,
                        name,
                        _("%(value)r is already used by %(other)r in %(where)s")
                        % {"value": value, "other": "/".join(other), "where": ", ".join(self._where(other_place))},
                    )
                )
            else:
                seen[value] = (key, place)

    def _check_unique(self):
        for (model_name, name), values in self.unique_values.items():
            model = get_model(model_name)
            rows = model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
            for value, slug in rows.values_list(name, "slug").iterator(chunk_size=5000):
                other = (slug,)
                if value in values and other not in self.places[model_name] and values[value][0] != other:
                    if self.prune:
                        continue  # the other record is about to be deleted
                    key, place = values[value]
                    self.report.problems.append(
                        Problem(
                            *self._where(place),
                            model_label(model_name),
                            key,
                            name,
                            _("%(value)r is already used by %(other)r in the database")
                            % {"value": value, "other": slug},
                        )
                    )

    def _check_citations(self):
        uncited = [
            (model_name, key)
            for model_name, keys in self.published.items()
            for key in keys
            if key[0] not in self.cited[CITED[model_name]]
        ]
        if not uncited:
            return
        in_database = set()
        if not (self.prune and "citation" in self.imported):
            for kind in sorted({CITED[model_name] for model_name, _key in uncited}):
                slugs = sorted({key[0] for model_name, key in uncited if CITED[model_name] == kind})
                for start in range(0, len(slugs), BATCH_SIZE):
                    lookup = f"{kind}__slug"
                    found = Citation.objects.filter(**{f"{lookup}__in": slugs[start : start + BATCH_SIZE]})
                    in_database.update((kind, slug) for slug in found.values_list(lookup, flat=True))
        for model_name, key in uncited:
            if (CITED[model_name], key[0]) not in in_database:
                self.report.problems.append(
                    Problem(
                        *self._where(self.places[model_name][key]),
                        model_label(model_name),
                        key,
                        "status",
                        _("a published record needs at least one citation (in the files or the database)"),
                    )
                )

    # Pass 2 -------------------------------------------------------------------

    def _write(self):
        content_changed()  # bulk writes send no signal: readers' pages change after commit
        self.to_write = sum(counts["created"] + counts["updated"] for counts in self.report.counts.values())
        for model_name in MODEL_ORDER:
            spill = self.spills.get(model_name)
            if spill is None:
                continue
            model = get_model(model_name)
            for batch in spill.batches():
                self._create(model, model_name, [pending for pending in batch if pending.pk is None])
                self._update(model, [pending for pending in batch if pending.pk is not None])
            if self.to_write >= self.progress_every:
                self.progress(f"{model_label(model_name)}: written")
        for model_name in reversed(MODEL_ORDER):
            self._delete(model_name)

    def _tick(self):
        self.written += 1
        if self.written % self.progress_every == 0:
            self.progress(f"wrote {self.written} of {self.to_write} objects")

    def _pk(self, reference):
        if reference is None:
            return None
        target, key = reference
        return self._database_keys(target)[key]

    def _m2m_ids(self, pending):
        return {name: [self._pk(target) for target in targets] for name, targets in pending.m2m.items()}

    def _create(self, model, model_name, batch):
        if not batch:
            return
        by_file = defaultdict(list)
        instances = []
        for pending in batch:
            instance = model(**pending.values)
            for attname, reference in pending.refs.items():
                setattr(instance, attname, self._pk(reference))
            if isinstance(instance, Publishable):
                prepare_record(model, instance)  # what pre_save would do
            instance._change_reason = import_reason(self.files[pending.file])  # for the m2m history row
            instance._history_user = self.user
            by_file[pending.file].append(instance)
            instances.append(instance)
        for file, objects in by_file.items():
            if not hasattr(model, "history"):  # Province keeps no history
                model._base_manager.bulk_create(objects, batch_size=BATCH_SIZE)
                continue
            bulk_create_with_history(
                objects,
                model,
                batch_size=BATCH_SIZE,
                default_user=self.user,
                default_change_reason=import_reason(self.files[file]),
            )
        known = self._database_keys(model_name)
        for pending, instance in zip(batch, instances, strict=True):
            known[pending.key] = instance.pk
            for name, ids in self._m2m_ids(pending).items():
                if ids:
                    getattr(instance, name).set(ids)
            self._tick()

    def _update(self, model, batch):
        if not batch:
            return
        current = model._base_manager.in_bulk([pending.pk for pending in batch])
        for pending in batch:
            record = current[pending.pk]
            for attname, value in pending.values.items():
                setattr(record, attname, value)
            for attname, reference in pending.refs.items():
                setattr(record, attname, self._pk(reference))
            if isinstance(record, Publishable):
                record.version += 1  # an admin form opened before the import is now stale
            record._change_reason = import_reason(self.files[pending.file])
            record._history_user = self.user
            record.save()
            for name, ids in self._m2m_ids(pending).items():
                manager = getattr(record, name)
                if set(manager.values_list("pk", flat=True)) != set(ids):
                    manager.set(ids)
            self._tick()

    def _delete(self, model_name):
        model = get_model(model_name)
        for key in self.report.deletions.get(model_name, []):
            pk = self._database_keys(model_name)[key]
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=pk).delete()
            except (ProtectedError, RestrictedError) as error:
                users = sorted(
                    {str(obj._meta.verbose_name) for obj in error.protected_objects}
                    if isinstance(error, ProtectedError)
                    else set()
                )
                self.report.problems.append(
                    Problem(
                        "",
                        "",
                        model_label(model_name),
                        key,
                        "",
                        _("cannot delete it: other records still use it (%(users)s)") % {"users": ", ".join(users)},
                    )
                )


def _dependency_order(files, name=str):
    """Files named after a model (event.json) in MODEL_ORDER, so that references are
    mostly checked as they come; any other file after them, each group in the given order."""
    rank = {model_name: index for index, model_name in enumerate(MODEL_ORDER)}
    return sorted(files, key=lambda file: rank.get(Path(name(file)).stem.lower(), len(MODEL_ORDER)))


def _guess_key(model_name, fields):
    """The natural key as far as the raw fields tell it, for messages."""
    try:
        return tuple(str(part) for part in natural_key(model_name, fields))
    except (TypeError, IndexError, KeyError, AttributeError):
        return ()


def _extra_unique_fields(model):
    names = [
        f.name
        for f in model._meta.concrete_fields
        if f.unique and not f.primary_key and f.name != "slug" and not f.is_relation
    ]
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint) and len(constraint.fields) == 1:
            field_ = model._meta.get_field(constraint.fields[0])
            if not field_.is_relation and field_.name != "slug":
                names.append(field_.name)
    return names

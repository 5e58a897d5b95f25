"""Import fixture files: validate everything first, then upsert by natural key in one
transaction, so that a file either goes in whole or not at all.

Speed: one query per model loads what the database holds (natural key, pk and a
fingerprint of the canonical fields); references are resolved in memory; new rows go
in with bulk_create_with_history (which also writes their history rows) after the
search column is filled here, as the pre_save signal would; changed rows go through
save() so that simple-history and the signals see a normal edit."""

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import models, transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import translation
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from history.models import Citation, Publishable
from history.signals import fill_search_text

from .format import (
    MODEL_ORDER,
    canonical_value,
    digest,
    field_specs,
    get_model,
    iter_records,
    model_label,
    natural_key,
)
from .reader import Problem, expand_paths, read_bytes, read_file
from .validate import PENDING, check_type, clean_instance, normalise_names, required_names

# Published records of these models need at least one citation (DESIGN.md).
CITED = {"event": "event", "conference": "conference", "aidprogram": "aid_program"}
BATCH_SIZE = 500
STATUSES = ("created", "updated", "unchanged", "deleted")


def import_reason(file):
    """The change reason history records. simple-history keeps 100 characters, so
    the file is named without its (possibly long) directory."""
    return f"import_fixtures from {Path(str(file)).name}"[:100]


@dataclass
class Item:
    """One valid object of the import, and what importing it would do."""

    key: tuple
    file: str
    status: str
    pk: int | None = None
    instance: models.Model | None = None
    refs: dict = field(default_factory=dict)  # fk attname -> (target model name, key)
    m2m: dict = field(default_factory=dict)  # m2m name -> [(target model name, key), ...]


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
        self.items = defaultdict(list)  # model name -> [Item]
        self.seen = defaultdict(dict)  # model name -> {key: (file, where)}
        self.existing = {}  # model name -> {key: (pk, fingerprint)}
        self.known = {}  # model name -> {key: pk or PENDING}, for references
        self.unique_values = defaultdict(dict)  # (model name, field) -> {value: (key, file, where)}
        self.published = []  # (model name, key, file, where) of published records to check for citations
        self.cited = set()  # (kind, slug) cited in the files
        self.done = 0

    # Entry points -------------------------------------------------------------

    def run_paths(self, paths):
        files, problems = expand_paths(paths)
        raws = []
        for path in files:
            objects, file_problems = read_file(path)
            raws += objects
            problems += file_problems
        return self._run(raws, problems)

    def run_bytes(self, named_data):
        """[(file name, bytes)], e.g. an upload in the admin."""
        raws, problems = [], []
        for name, data in named_data:
            objects, file_problems = read_bytes(name, data)
            raws += objects
            problems += file_problems
        return self._run(raws, problems)

    # Steps --------------------------------------------------------------------

    def _run(self, raws, problems):
        self.report.problems += problems
        by_model = defaultdict(list)
        for raw in raws:
            by_model[raw.model_name].append(raw)
        raws.clear()
        self.total = sum(len(objects) for objects in by_model.values())
        self.imported = [name for name in MODEL_ORDER if name in by_model]
        for model_name in self.imported:
            self._load_existing(model_name)
            # The batch's own keys first, so that references within the import resolve.
            for raw in by_model[model_name]:
                self.known[model_name].setdefault(_guess_key(model_name, raw.fields), PENDING)
            for raw in by_model.pop(model_name):
                self._check(model_name, raw)
                self._tick(_("checked"))
        self._check_unique()
        self._check_citations()
        if self.prune:
            for model_name in self.imported:
                batch = self.seen[model_name]
                gone = sorted(key for key in self.existing[model_name] if key not in batch)
                self.report.deletions[model_name] = gone
                self.report.counts[model_name]["deleted"] = len(gone)
        if self.report.problems or self.dry_run:
            return self.report
        self.done = 0
        try:
            with transaction.atomic(), translation.override("en"):
                self._write()
                if self.report.problems:
                    raise _Rollback
        except _Rollback:
            return self.report
        self.report.written = True
        return self.report

    def _tick(self, verb):
        self.done += 1
        if self.done % self.progress_every == 0:
            self.progress(f"{verb} {self.done} of {self.total} objects")

    def _load_existing(self, model_name):
        """Natural key, pk and fingerprint of every row, one pass over the table."""
        self.existing[model_name] = {key: (pk, digest(fields)) for pk, key, fields in iter_records(model_name)}
        if self.prune:
            self.known[model_name] = {}  # records absent from the files are about to go
        else:
            self.known[model_name] = {key: pk for key, (pk, _fp) in self.existing[model_name].items()}

    def _known_keys(self, model_name):
        if model_name not in self.known:  # referenced but not imported: slug -> pk
            model = get_model(model_name)
            self.known[model_name] = {(slug,): pk for slug, pk in model._base_manager.values_list("slug", "pk")}
        return self.known[model_name]

    def _check(self, model_name, raw):
        model = get_model(model_name)
        label = model_label(model_name)
        fields, unknown = normalise_names(model, raw.fields)
        key = _guess_key(model_name, fields)
        problems = []

        def report(name, message):
            problems.append(Problem(raw.file, raw.where, label, key, name, message))

        first = self.seen[model_name].get(key)
        if first:
            report("", _("the same natural key appears twice; first at %(first)s") % {"first": ", ".join(first)})
            self.report.problems += problems
            return
        self.seen[model_name][key] = (raw.file, raw.where)
        for name in unknown:
            report(name, _("unknown field"))
        specs = {spec.name: spec for spec in field_specs(model)}
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

        item = Item(key=key, file=raw.file, status="")
        values = {}
        canonical = {}
        for spec in specs.values():
            value = fields[spec.name] if spec.name in fields and spec.name not in bad else spec.field.get_default()
            if spec.kind == "m2m":
                targets = sorted({tuple(part) for part in value or ()})
                target = spec.field.related_model._meta.model_name
                for target_key in targets:
                    self._resolve(target, target_key, spec.name, report)
                item.m2m[spec.name] = [(target, target_key) for target_key in targets]
                canonical[spec.name] = [list(target_key) for target_key in targets]
            elif spec.kind == "fk":
                if value is None:
                    values[spec.attname] = None
                    canonical[spec.name] = None
                    continue
                target = spec.field.related_model._meta.model_name
                target_key = tuple(value)
                values[spec.attname] = self._resolve(target, target_key, spec.name, report)
                item.refs[spec.attname] = (target, target_key)
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
        for spec in specs.values():
            if spec.kind == "value":
                canonical[spec.name] = canonical_value(spec.field, getattr(instance, spec.attname))
        item.key = key = natural_key(model_name, canonical)

        self._remember_unique(model, model_name, instance, key, raw)
        if model_name in CITED and canonical.get("status") == Publishable.Status.PUBLISHED:
            self.published.append((model_name, key, raw.file, raw.where))
        if model_name == "citation":
            self.cited.add(key[:2])

        existing = self.existing[model_name].get(key)
        if existing is not None:
            self.known[model_name][key] = existing[0]
        if existing is None:
            item.status = "created"
            item.instance = instance
        elif existing[1] == digest(canonical):
            item.status = "unchanged"
            item.refs, item.m2m = {}, {}
        else:
            item.status = "updated"
            item.pk = existing[0]
            item.instance = instance
        self.report.counts[model_name][item.status] += 1
        if item.status != "unchanged":
            self.items[model_name].append(item)

    def _resolve(self, target, key, field_name, report):
        known = self._known_keys(target)
        if key in known:
            return known[key]
        report(
            field_name,
            _("refers to %(model)s %(key)r, which is neither in the files nor in the database")
            % {"model": model_label(target), "key": "/".join(key)},
        )
        return PENDING

    def _remember_unique(self, model, model_name, instance, key, raw):
        """Unique fields that are not the natural key (an IATI identifier, say)."""
        for name in _extra_unique_fields(model):
            value = getattr(instance, name)
            if value in (None, ""):
                continue
            seen = self.unique_values[(model_name, name)]
            if value in seen:
                self.report.problems.append(
                    Problem(
                        raw.file,
                        raw.where,
                        model_label(model_name),
                        key,
                        name,
                        _("%(value)r is already used by %(other)r in %(where)s")
                        % {"value": value, "other": "/".join(seen[value][0]), "where": ", ".join(seen[value][1:])},
                    )
                )
            else:
                seen[value] = (key, raw.file, raw.where)

    def _check_unique(self):
        for (model_name, name), values in self.unique_values.items():
            model = get_model(model_name)
            rows = model._base_manager.exclude(**{name: ""}).exclude(**{f"{name}__isnull": True})
            for value, slug in rows.values_list(name, "slug"):
                other = (slug,)
                if value in values and other not in self.seen[model_name] and values[value][0] != other:
                    if self.prune:
                        continue  # the other record is about to be deleted
                    key, file, where = values[value]
                    self.report.problems.append(
                        Problem(
                            file,
                            where,
                            model_label(model_name),
                            key,
                            name,
                            _("%(value)r is already used by %(other)r in the database")
                            % {"value": value, "other": slug},
                        )
                    )

    def _check_citations(self):
        uncited = [entry for entry in self.published if (CITED[entry[0]], entry[1][0]) not in self.cited]
        if not uncited:
            return
        in_database = set()
        if not (self.prune and "citation" in self.imported):
            for event, conference, program in Citation.objects.values_list(
                "event__slug", "conference__slug", "aid_program__slug"
            ):
                in_database.add(
                    ("event", event)
                    if event
                    else ("conference", conference)
                    if conference
                    else ("aid_program", program)
                )
        for model_name, key, file, where in uncited:
            if (CITED[model_name], key[0]) not in in_database:
                self.report.problems.append(
                    Problem(
                        file,
                        where,
                        model_label(model_name),
                        key,
                        "status",
                        _("a published record needs at least one citation (in the files or the database)"),
                    )
                )

    # Writing ------------------------------------------------------------------

    def _bind(self, item):
        for attname, (target, key) in item.refs.items():
            setattr(item.instance, attname, self.known[target][key])

    def _m2m_ids(self, item):
        ids = defaultdict(list)
        for name, targets in item.m2m.items():
            ids[name] = [self.known[target][key] for target, key in targets]
        return ids

    def _write(self):
        for model_name in self.imported:
            model = get_model(model_name)
            items = self.items.pop(model_name, [])
            created = [item for item in items if item.status == "created"]
            by_file = defaultdict(list)
            for item in created:
                self._bind(item)
                if isinstance(item.instance, Publishable):
                    fill_search_text(model, item.instance)  # what pre_save would do
                item.instance._change_reason = import_reason(item.file)  # for the m2m history row
                by_file[item.file].append(item.instance)
            for file, objects in by_file.items():
                if not hasattr(model, "history"):  # Province keeps no history
                    model._base_manager.bulk_create(objects, batch_size=BATCH_SIZE)
                    continue
                bulk_create_with_history(
                    objects,
                    model,
                    batch_size=BATCH_SIZE,
                    default_user=self.user,
                    default_change_reason=import_reason(file),
                )
            for item in created:
                self.known[model_name][item.key] = item.instance.pk
                for name, ids in self._m2m_ids(item).items():
                    if ids:
                        getattr(item.instance, name).set(ids)
                self._tick(_("wrote"))
            updated = [item for item in items if item.status == "updated"]
            for start in range(0, len(updated), BATCH_SIZE):
                self._update(model, updated[start : start + BATCH_SIZE])
            if self.total >= self.progress_every:
                self.progress(f"{model_label(model_name)}: written")
        for model_name in reversed(self.imported):
            self._delete(model_name)

    def _update(self, model, chunk):
        current = model._base_manager.in_bulk([item.pk for item in chunk])
        copied = [spec for spec in field_specs(model) if spec.kind != "m2m"]
        for item in chunk:
            self._bind(item)
            record = current[item.pk]
            for spec in copied:
                setattr(record, spec.attname, getattr(item.instance, spec.attname))
            if isinstance(record, Publishable):
                record.version += 1  # an admin form opened before the import is now stale
            record._change_reason = import_reason(item.file)
            record.save()
            for name, ids in self._m2m_ids(item).items():
                manager = getattr(record, name)
                if set(manager.values_list("pk", flat=True)) != set(ids):
                    manager.set(ids)
            self._tick(_("wrote"))

    def _delete(self, model_name):
        model = get_model(model_name)
        for key in self.report.deletions.get(model_name, []):
            pk = self.existing[model_name][key][0]
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

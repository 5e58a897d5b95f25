"""The second step of an import, inside the caller's transaction: write what the check
step kept, model by model in the registry's import order, so that every reference
points at a row already written. New rows go in with bulk_create_with_history (which
also writes their history rows) after the search column is filled here, as the
pre_save signal would; changed rows go through save() so that simple-history and the
signals see a normal edit; --prune deletes last, in reverse order."""

from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from history import kinds
from history.content_version import content_changed
from history.models import Publishable
from history.signals import prepare_record

from .format import field_specs, get_model, model_label
from .reader import Problem


def import_reason(file):
    """The change reason history records. simple-history keeps 100 characters, so
    the file is named without its (possibly long) directory."""
    return f"import_fixtures from {Path(str(file)).name}"[:100]


class Writer:
    def __init__(self, report, database, user=None, progress=None, progress_every=10000):
        self.report = report
        self.database = database  # check.DatabaseKeys
        self.user = user
        self.progress = progress or (lambda message: None)
        self.progress_every = progress_every
        self.written = 0

    def write(self, spills):
        """`spills`: model name -> Spill of the Pending objects to write."""
        content_changed()  # bulk writes send no signal: readers' pages change after commit
        total = sum(counts["created"] + counts["updated"] for counts in self.report.counts.values())
        for model_name in kinds.import_order():
            if model_name not in spills:
                continue
            model = get_model(model_name)
            for batch in spills[model_name].batches():
                self._create(model, model_name, [pending for pending in batch if pending.pk is None])
                self._update(model, [pending for pending in batch if pending.pk is not None])
                if self.written // self.progress_every > (self.written - len(batch)) // self.progress_every:
                    self.progress(f"wrote {self.written} of {total} objects")
        for model_name in reversed(kinds.import_order()):
            self._delete(model_name)

    def _pk(self, spec, key):
        return self.database[spec.field.related_model._meta.model_name][tuple(key)]

    def _values(self, model, pending):
        """Model field values from the canonical fields, references resolved."""
        values = {}
        for spec in field_specs(model):
            value = pending.fields[spec.name]
            if spec.kind == "value":
                values[spec.attname] = spec.field.to_python(value)
            elif spec.kind == "fk":
                values[spec.attname] = value and self._pk(spec, value)
        return values

    def _prepare(self, record, pending):
        record._change_reason = import_reason(pending.file)  # also read for the m2m history rows
        record._history_user = self.user
        return record

    def _set_m2m(self, record, pending, created):
        for spec in field_specs(type(record)):
            if spec.kind == "m2m":
                ids = [self._pk(spec, key) for key in pending.fields[spec.name]]
                manager = getattr(record, spec.name)
                if ids if created else set(ids) != set(manager.values_list("pk", flat=True)):
                    manager.set(ids)

    def _create(self, model, model_name, batch):
        by_file = defaultdict(list)  # one change reason per bulk_create_with_history
        for pending in batch:
            record = self._prepare(model(**self._values(model, pending)), pending)
            if isinstance(record, Publishable):
                prepare_record(model, record)  # what pre_save would do
            by_file[pending.file].append((pending, record))
        for file, pairs in by_file.items():
            records = [record for _pending, record in pairs]
            if hasattr(model, "history"):
                reason = import_reason(file)
                bulk_create_with_history(records, model, default_user=self.user, default_change_reason=reason)
            else:  # Province keeps no history
                model._base_manager.bulk_create(records)
            for pending, record in pairs:
                self.database[model_name][pending.key] = record.pk
                self._set_m2m(record, pending, created=True)
        self.written += len(batch)

    def _update(self, model, batch):
        current = model._base_manager.in_bulk([pending.pk for pending in batch])
        for pending in batch:
            record = self._prepare(current[pending.pk], pending)
            for attname, value in self._values(model, pending).items():
                setattr(record, attname, value)
            if isinstance(record, Publishable):
                record.version += 1  # an admin form opened before the import is now stale
            record.save()
            self._set_m2m(record, pending, created=False)
        self.written += len(batch)

    def _delete(self, model_name):
        model = get_model(model_name)
        for key in self.report.deletions.get(model_name, []):
            try:
                with transaction.atomic():
                    model._base_manager.filter(pk=self.database[model_name][key]).delete()
            except (ProtectedError, RestrictedError) as error:
                users = sorted({str(obj._meta.verbose_name) for obj in getattr(error, "protected_objects", ())})
                message = _("cannot delete it: other records still use it (%(users)s)") % {"users": ", ".join(users)}
                self.report.problems.append(Problem("", "", model_label(model_name), key, "", message))

"""Import fixture files: check everything (check.py), then write in one transaction
(writer.py), so that files either go in whole or not at all.

Memory stays bounded by the number of natural keys, not by the size of the files: the
files are streamed (reader.py), and each object to write is pickled, a batch at a time,
to a temporary file per model (a Spill) and then forgotten. Why a spill rather than
reading the files again: the write step then neither parses nor converts again, reads
each model's objects in dependency order even when one file mixes models (dumpdata
output), skips unchanged objects without looking at them, and writes exactly what was
checked even if a file changes on disk in between (or was an upload held in memory).

With a user (--user, the admin's import page), the import has that user's publishing
rights (history.publishing.can_publish); without one, an operator's, which are full.
"""

import pickle
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from history import kinds
from history.publishing import can_publish

from . import check
from .format import model_label
from .reader import Problem, expand_paths, iter_bytes, iter_file
from .writer import Writer

STATUSES = ("created", "updated", "unchanged", "deleted")


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
        for model_name in kinds.import_order():
            if model_name in self.counts:
                counts = self.counts[model_name]
                text = _("%(model)s: %(created)d created, %(updated)d updated, %(unchanged)d unchanged") % {
                    "model": model_label(model_name),
                    **counts,
                }
                lines.append(text + (_(", %(deleted)d deleted") % counts if prune else ""))
        return lines

    def summary(self):
        return _("%(count)d problem(s) in %(files)d file(s); nothing was imported.") % {
            "count": len(self.problems),
            "files": len({problem.file for problem in self.problems}),
        }


class Spill:
    """Objects waiting for the write step, pickled to an anonymous temporary file a batch at a time."""

    def __init__(self):
        self.stream = tempfile.TemporaryFile(prefix="history-import-")
        self.batch = []

    def add(self, pending):
        self.batch.append(pending)
        if len(self.batch) >= check.BATCH_SIZE:
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

    def run_paths(self, paths):
        files, problems = expand_paths(paths)
        self.report.problems += problems
        return self._run((str(path), iter_file(path)) for path in _dependency_order(files))

    def run_bytes(self, named_data):
        """[(file name, bytes)], e.g. an upload in the admin."""
        ordered = _dependency_order(named_data, name=lambda pair: pair[0])
        return self._run((name, iter_bytes(name, data)) for name, data in ordered)

    def _run(self, readers):
        spills = defaultdict(Spill)
        keep = (lambda model_name, pending: None) if self.dry_run else (lambda name, pending: spills[name].add(pending))
        user = self.user
        checking = check.Check(
            self.report,
            keep,
            prune=self.prune,
            may_publish=user is None or can_publish(user),
            may_delete=lambda model_name: user is None or user.has_perm(f"history.delete_{model_name}"),
        )
        checked = 0
        try:
            for _name, objects in readers:
                for item in objects:
                    if isinstance(item, Problem):
                        self.report.problems.append(item)
                        continue
                    checking.add(item)
                    checked += 1
                    if checked % self.progress_every == 0:
                        self.progress(f"checked {checked} objects")
            checking.finish()
            if self.report.problems or self.dry_run:
                return self.report
            writer = Writer(self.report, checking.database, self.user, self.progress, self.progress_every)
            with transaction.atomic(), translation.override("en"):
                writer.write(spills)
                if self.report.problems:
                    raise _Rollback
            self.report.written = True
        except _Rollback:
            pass
        finally:
            for spill in spills.values():
                spill.stream.close()
        return self.report


def _dependency_order(files, name=str):
    """Files named after a model (event.json) in the import order, so that references
    are mostly checked as they come; any other file after them, each group in the given order."""
    order = kinds.import_order()
    rank = {model_name: index for index, model_name in enumerate(order)}
    return sorted(files, key=lambda file: rank.get(Path(name(file)).stem.lower(), len(order)))

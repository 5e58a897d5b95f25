from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from history import kinds
from history.fixtures_io.format import get_model
from history.fixtures_io.importer import Importer


class Command(BaseCommand):
    help = (
        "Import fixture files (default: fixtures/; a folder means every *.json and *.csv in it). "
        "JSON: the canonical format written by export_fixtures, or dumpdata output with natural keys. "
        "CSV: one <model>.csv per model as export_fixtures --format csv writes it. Every object is "
        "validated before anything is written; records are matched by natural key and only changed "
        "ones are saved; any problem means nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", default=["fixtures"], help="Files or folders.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing.")
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete records of the imported models that the files do not contain (listed first).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already holds content (so admin edits survive `make run`).",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=(
                "The account the revision history records as the author of this import. The import then has "
                "that account's rights: without the publish permission (history.publish_content) it may not "
                "create a published record, publish a draft or unpublish a record. Without --user the import "
                "runs with the operator's full rights."
            ),
        )
        parser.add_argument("--progress-every", type=int, default=10000, help=argparse_hidden())

    def handle(self, *args, paths, dry_run, prune, if_empty, progress_every, user=None, **options):
        author = None
        if user:
            author = get_user_model()._default_manager.filter(username=user).first()
            if author is None:
                raise CommandError(f"There is no user “{user}”: nothing imported.")
        if if_empty:
            held = [name for name in kinds.import_order() if get_model(name)._base_manager.exists()]
            if held:
                self.stdout.write(f"The database already holds content ({', '.join(held)}); nothing imported.")
                return
        importer = Importer(
            dry_run=dry_run,
            prune=prune,
            progress=lambda message: self.stderr.write(message),
            progress_every=max(progress_every, 1),
            user=author,
        )
        report = importer.run_paths(paths)
        if report.problems:
            for problem in report.problems:
                self.stderr.write(str(problem))
            raise CommandError(report.summary())
        for model_name, keys in report.deletions.items():
            for key in keys:
                verb = "would delete" if dry_run else "deleted"
                self.stdout.write(f"{verb} history.{model_name} {'/'.join(key)}")
        for line in report.count_lines(prune=prune):
            self.stdout.write(line)
        if dry_run:
            self.stdout.write("Dry run: nothing was written.")


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS

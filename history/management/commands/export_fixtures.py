from django.core.management.base import BaseCommand, CommandError

from history.fixtures_io.exporter import FORMATS, export


class Command(BaseCommand):
    help = (
        "Write every history model to one file per model (default fixtures/), in the canonical "
        "fixture format: JSON lists of {model, fields} without pk, sorted by natural key. "
        "With --format csv: one <model>.csv per model, UTF-8 with a byte order mark (for Excel), "
        "header = field names; a foreign key cell holds the natural key's parts joined by '/', "
        "a many-to-many cell several keys joined by '|', booleans are true/false, and an empty "
        "cell means null where the field allows null. import_fixtures reads both back."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", default="fixtures", help="Folder to write into (created if missing).")
        parser.add_argument("--format", default="json", choices=FORMATS)

    def handle(self, *args, output, format, **options):
        try:
            paths = export(output, format)
        except OSError as error:
            raise CommandError(f"Cannot write to {output}: {error.strerror or error}") from None
        for path in paths:
            self.stdout.write(f"wrote {path}")

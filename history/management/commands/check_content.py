from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from history import content_check


class Command(BaseCommand):
    help = (
        "Check the content against the site's editorial rules: citations with a place in the source, complete "
        "sources, amounts that say what they cover, closed programmes with an end date, settled disagreements "
        "and complete translations. Prints the problems grouped per record; exits with status 1 when a "
        "published record has one."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="Check drafts too (their problems are listed but do not change the exit status).",
        )

    def handle(self, *args, include_drafts=False, **options):
        # In the site's default language, whatever an earlier request in this process left active.
        with translation.override(settings.LANGUAGE_CODE):
            self.report(content_check.run(include_drafts=include_drafts))

    def report(self, groups):
        for group in groups:
            state = "" if group.published else " [draft]"
            self.stdout.write(f"{group.kind}: {group.record}{state}  {group.admin_url}")
            for problem in group.problems:
                self.stdout.write(f"  - {problem.field}: {problem.message}")
        published = [group for group in groups if group.published]
        if published:
            total = sum(len(group.problems) for group in published)
            raise CommandError(f"{total} problem(s) in {len(published)} published record(s).", returncode=1)
        self.stdout.write(self.style.SUCCESS("No problems in published content."))

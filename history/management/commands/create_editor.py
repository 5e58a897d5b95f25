"""Create a staff account in the Editors (or Publishers) group.

python manage.py create_editor amina --email amina@example.org
python manage.py create_editor kenji --publisher
printf 'long pass phrase\\n' | python manage.py create_editor ci-bot --password-from-stdin
"""

import getpass
import sys

from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from history.publishing import EDITORS, PUBLISHERS, sync_roles


class Command(BaseCommand):
    help = "Create a staff user who can edit content (Editors) or also publish it (--publisher)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--publisher", action="store_true", help="Put the user in Publishers, not Editors.")
        parser.add_argument("--email", default="", help="The user's e-mail address.")
        parser.add_argument(
            "--password-from-stdin",
            action="store_true",
            help="Read the password from the first line of standard input (scripts and CI have no terminal).",
        )

    def handle(self, username, publisher, email, password_from_stdin, **options):
        User = get_user_model()
        username = username.strip()
        if not username:
            raise CommandError("The username cannot be empty.")
        if User._default_manager.filter(**{User.USERNAME_FIELD: username}).exists():
            raise CommandError(f"A user named {username!r} already exists. Choose another name.")
        if email:
            try:
                validate_email(email)
            except ValidationError as error:
                raise CommandError(f"{email!r} is not a valid e-mail address.") from error

        password = self.read_password(password_from_stdin)
        candidate = User(**{User.USERNAME_FIELD: username}, email=email)
        try:
            password_validation.validate_password(password, candidate)
        except ValidationError as error:
            raise CommandError("The password was refused:\n  " + "\n  ".join(error.messages)) from error

        role = PUBLISHERS if publisher else EDITORS
        with transaction.atomic():
            sync_roles()  # the groups come from migration 0002; recreate them if someone deleted them
            user = User._default_manager.create_user(username=username, email=email, password=password)
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            user.groups.add(Group.objects.get(name=role))
        self.stdout.write(self.style.SUCCESS(f"Created {username!r} in {role}. They can sign in at /admin/."))

    def read_password(self, from_stdin):
        if from_stdin:
            password = sys.stdin.readline().rstrip("\r\n")
            if not password:
                raise CommandError("No password on standard input.")
            return password
        if not sys.stdin.isatty():
            raise CommandError("No terminal to ask for a password on. Use --password-from-stdin in scripts.")
        try:
            first = getpass.getpass("Password: ")
            second = getpass.getpass("Password (again): ")
        except (EOFError, KeyboardInterrupt) as error:
            raise CommandError("Cancelled; no user was created.") from error
        if first != second:
            raise CommandError("The two passwords differ; no user was created.")
        if not first:
            raise CommandError("The password cannot be empty.")
        return first

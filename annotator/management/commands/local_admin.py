"""Create the local administrator for `make run`, once, and print how to sign in."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.models import Project, Role
from claims.services.projects import membership_set

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create (once) a local superuser with a generated password kept in .data/, manager of every project."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url: str, **options):
        if not settings.DEBUG:
            raise CommandError("local_admin is for local development (DEBUG=1); use createsuperuser in production.")
        path = settings.DATA_DIR / "admin_password"
        User = get_user_model()
        user = User.objects.filter(username=USERNAME).first()
        if user is None or not path.exists():
            password = secrets.token_urlsafe(12)
            user = user or User(username=USERNAME, email="admin@localhost")
            user.is_staff = user.is_superuser = user.is_active = True
            user.set_password(password)
            user.save()
            settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(password)
            path.chmod(0o600)
        password = path.read_text().strip()
        for project in Project.objects.exclude(memberships__user=user):
            membership_set(project=project, user=user, role=Role.MANAGER)
        self.stdout.write(
            self.style.SUCCESS(f"\n  Open {url}\n  Sign in as {USERNAME} / {password}   (kept in {path})\n")
        )

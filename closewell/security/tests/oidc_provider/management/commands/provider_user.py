"""Make or change a provider user with exactly these groups: provider_user NAME --groups a,b."""

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

PASSWORD = "provider-password-1"


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--groups", default="")
        parser.add_argument("--first", default="")
        parser.add_argument("--last", default="")

    def handle(self, *args, username, groups, first, last, **options):
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(PASSWORD)
        user.first_name, user.last_name, user.email = first, last, f"{username}@example.invalid"
        user.save()
        names = [name.strip() for name in groups.split(",") if name.strip()]
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in names])

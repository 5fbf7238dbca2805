"""Turn off an account's sign-in codes (a lost phone and no backup code left); it sets them up again at its next
sign-in if its role requires them."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from ocop.accounts.models import User
from ocop.accounts.second_factor import devices_remove


class Command(BaseCommand):
    help = "Remove an account's authenticator app and backup codes (it signs in with its password alone)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account is named {username!r}.")
        devices_remove(user, by=None)
        self.stdout.write(f"Sign-in codes removed for {username}.")

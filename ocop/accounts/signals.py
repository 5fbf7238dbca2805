"""What the accounts app announces to the apps above it (which subscribe in their AppConfig.ready())."""

from django.dispatch import Signal

# Sent with `invitation` and `user` once an invitation is accepted: the producers app makes the new account act
# for the producer the invitation names.
invitation_accepted = Signal()

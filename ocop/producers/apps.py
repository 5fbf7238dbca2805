from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProducersConfig(AppConfig):
    name = "ocop.producers"
    label = "producers"
    verbose_name = _("Producers")

    def ready(self) -> None:
        from ocop.accounts.signals import invitation_accepted
        from ocop.producers import services

        invitation_accepted.connect(services.on_invitation_accepted, dispatch_uid="producers.membership")

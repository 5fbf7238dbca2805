from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StampsConfig(AppConfig):
    name = "ocop.stamps"
    label = "stamps"
    verbose_name = _("Stamps")

    def ready(self) -> None:
        from ocop.stamps import permissions  # noqa: F401  (registers the rules)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "ocop.office"
    label = "office"
    verbose_name = _("Programme office")

    def ready(self) -> None:
        from ocop.office import permissions  # noqa: F401  (registers the rules)

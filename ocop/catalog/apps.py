from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "ocop.catalog"
    label = "catalog"
    verbose_name = _("Catalog")

    def ready(self) -> None:
        from ocop.catalog import services
        from ocop.producers.signals import producer_changed

        producer_changed.connect(services.on_producer_changed, dispatch_uid="catalog.products_refresh")

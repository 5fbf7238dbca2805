from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "ocop.certification"
    label = "certification"
    verbose_name = _("Certification")

    def ready(self) -> None:
        from ocop.catalog.signals import products_reclassified
        from ocop.certification import projection

        products_reclassified.connect(projection.on_products_reclassified, dispatch_uid="certification.spans")

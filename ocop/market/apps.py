from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MarketConfig(AppConfig):
    name = "ocop.market"
    label = "market"
    verbose_name = _("Trade connection")

    def ready(self) -> None:
        from ocop.certification.signals import rollup_rebuilt, spans_replaced
        from ocop.market import rollup

        spans_replaced.connect(rollup.on_spans_replaced, dispatch_uid="market.channel_spans")
        rollup_rebuilt.connect(rollup.on_rollup_rebuilt, dispatch_uid="market.channel_spans_rebuild")

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpreadsheetsConfig(AppConfig):
    name = "ocop.spreadsheets"
    label = "spreadsheets"
    verbose_name = _("Imports and exports")

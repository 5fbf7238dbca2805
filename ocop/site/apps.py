from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The public site's composite pages, the demo data and the reference data commands."""

    name = "ocop.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"

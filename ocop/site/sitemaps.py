"""sitemap.xml for search engines: products, producers, provinces, groups and the main pages."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ocop.catalog.models import Category, Product, Regime
from ocop.geo.models import Province
from ocop.producers.models import Producer


class ProductSitemap(Sitemap):
    changefreq = "weekly"
    limit = 20000

    def items(self):
        return (
            Product.objects.exclude(status=Product.Status.DRAFT)
            .filter(stars__isnull=False)
            .only("id", "slug", "updated_at")
            .order_by("id")
        )

    def location(self, item):
        return reverse("site:product-detail", args=[item.pk, item.slug])

    def lastmod(self, item):
        return item.updated_at


class ProducerSitemap(Sitemap):
    changefreq = "monthly"
    limit = 20000

    def items(self):
        return Producer.objects.filter(products__stars__isnull=False).distinct().only("id", "slug").order_by("id")

    def location(self, item):
        return reverse("site:producer-detail", args=[item.pk, item.slug])


class PlaceSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        pages = [reverse("site:home"), reverse("catalog:product-list"), reverse("site:province-list")]
        pages += [
            reverse("site:province-detail", args=[slug]) for slug in Province.objects.values_list("slug", flat=True)
        ]
        pages += [
            reverse("catalog:category-detail", args=[slug])
            for slug in Category.objects.filter(regime=Regime.D148_2023).values_list("slug", flat=True)
        ]
        return pages

    def location(self, item):
        return item


SITEMAPS = {"pages": PlaceSitemap, "products": ProductSitemap, "producers": ProducerSitemap}

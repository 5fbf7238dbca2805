"""Forms of the product's own page (the producer's workspace)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.catalog.models import Product

PICTURE_TYPES = "image/jpeg,image/png,image/webp"


class ProductPageForm(forms.ModelForm):
    """What the producer says about its product; the certificate's facts are shown but locked."""

    class Meta:
        model = Product
        fields = ["name", "description", "story", "packaging", "unit", "gtin", "price_min", "price_max",
                  "annual_capacity", "capacity_unit", "status"]  # fmt: skip
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5, "maxlength": 5000}),
            "story": forms.Textarea(attrs={"rows": 6, "maxlength": 8000}),
        }

    def __init__(self, *args, locked: set[str] = frozenset(), **kwargs):  # type: ignore[assignment]
        super().__init__(*args, **kwargs)
        for name in locked & set(self.fields):
            self.fields[name].disabled = True
            self.fields[name].help_text = _("As stated by the certificate; it cannot be changed here.")
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (Product.Status.ACTIVE, _("On the market")), (Product.Status.DISCONTINUED, _("Discontinued")),
        ]  # fmt: skip
        for name in ("price_min", "price_max"):
            self.fields[name].widget.attrs.update({"inputmode": "numeric", "min": 0, "step": 1000})

    def clean(self):
        data = super().clean() or {}
        low, high = data.get("price_min"), data.get("price_max")
        if low is not None and high is not None and low > high:
            self.add_error("price_max", _("The highest price cannot be below the lowest price."))
        return data


class PictureForm(forms.Form):
    upload = forms.FileField(
        label=_("Photo (JPEG, PNG or WebP, up to 20 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": PICTURE_TYPES}),
    )
    caption = forms.CharField(label=_("Caption"), max_length=200, required=False)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Why (kept in the audit trail)"), max_length=500, required=False)

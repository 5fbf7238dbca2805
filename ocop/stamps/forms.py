"""Forms of the stamps pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.geo.models import Province
from ocop.stamps.labels import DEFAULT_LAYOUT, LAYOUTS
from ocop.stamps.models import MAX_SERIES

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class BatchForm(forms.Form):
    product = forms.ChoiceField(label=_("Product"))
    lot = forms.CharField(
        label=_("Lot number"), max_length=20, help_text=_("As printed on the package, e.g. L2026-11.")
    )
    produced_on = forms.DateField(label=_("Production date"), widget=DATE, input_formats=DATE_FORMATS)
    best_before = forms.DateField(label=_("Best before"), widget=DATE, input_formats=DATE_FORMATS, required=False)
    quantity = forms.IntegerField(label=_("Quantity (units)"), min_value=1, max_value=100_000_000)

    def __init__(self, *args, products: list, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(p.pk), f"{p.name} ({p.stars}★)") for p in products]
        self.fields["product"].choices = choices  # type: ignore[attr-defined]


class SeriesForm(forms.Form):
    quantity = forms.IntegerField(
        label=_("Number of stamps"), min_value=1, max_value=MAX_SERIES,
        help_text=_("Up to 1,000,000 in one series; series above 20,000 are made in the background."),
    )  # fmt: skip


class LabelsForm(forms.Form):
    layout = forms.ChoiceField(label=_("Label sheet"), choices=[(k, k) for k in LAYOUTS],
                               initial=DEFAULT_LAYOUT, required=False)  # fmt: skip
    first = forms.IntegerField(label=_("From stamp"), min_value=1, required=False)
    last = forms.IntegerField(label=_("To stamp"), min_value=1, required=False)


class CodeForm(forms.Form):
    ma = forms.CharField(
        label=_("Code on the stamp"), max_length=40, help_text=_("11 letters and digits, e.g. ABCD-EFGH-JKM")
    )


class PlaceForm(forms.Form):
    scan = forms.CharField(max_length=200, widget=forms.HiddenInput)
    province = forms.ModelChoiceField(
        label=_("Where are you?"), queryset=Province.objects.order_by("sort_key"), to_field_name="code", required=False,
        empty_label=_("Choose your province or city"),
    )  # fmt: skip
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)


class ReportForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Where did you buy it?"), queryset=Province.objects.order_by("sort_key"), to_field_name="code",
        required=False, empty_label=_("Choose a province or city"),
    )  # fmt: skip
    place = forms.CharField(label=_("Shop or market"), max_length=200, required=False)
    description = forms.CharField(label=_("What looks wrong?"), max_length=2000, min_length=10,
                                  widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}))  # fmt: skip
    contact = forms.CharField(
        label=_("Phone or e-mail (optional)"), max_length=120, required=False,
        help_text=_("Only the producer and the OCOP office see it, to ask you more."),
    )  # fmt: skip


class CloseForm(forms.Form):
    note = forms.CharField(label=_("What was done"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": 2000}))  # fmt: skip

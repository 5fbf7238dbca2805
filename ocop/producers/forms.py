"""The claim form: a producer account names its producer by tax code (and describes it when it is new)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.geo.models import Commune, Province
from ocop.producers.models import Producer


class ClaimForm(forms.Form):
    tax_code = forms.CharField(
        label=_("Tax code"), max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    position = forms.CharField(label=_("Your position"), max_length=100, required=False,
                               help_text=_("E.g. director, chair of the cooperative, household head."))  # fmt: skip
    name = forms.CharField(label=_("Producer's name (if new to the programme)"), max_length=255, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *Producer.Kind.choices], required=False)
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.order_by("sort_key"),
                                      required=False)  # fmt: skip
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False,
        help_text=_("Choose the province and send the form: its communes are listed."),
    )  # fmt: skip
    address = forms.CharField(label=_("Street address"), max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get("province") if self.is_bound else None
        if province and str(province).isdigit():
            communes = Commune.objects.filter(province_id=int(province)).order_by("sort_key")
            self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
            self.fields["commune"].help_text = ""


class DecideForm(forms.Form):
    note = forms.CharField(label=_("Note (the reason, when refusing)"), max_length=500, required=False)

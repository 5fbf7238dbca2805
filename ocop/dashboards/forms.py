"""The period a dashboard shows."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.core.programme import PROGRAMME_FIRST_YEAR


class PeriodForm(forms.Form):
    """`ngay` (as of), `nam` (the year of the annual figures), `don-vi=cu` (former provinces)."""

    ngay = forms.DateField(
        label=_("As of"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a date such as 31/12/2023.")},
    )
    nam = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=PROGRAMME_FIRST_YEAR,
        error_messages={
            "invalid": _("Enter a year such as 2023."),
            "min_value": _("The OCOP programme started in 2018."),
        },
    )
    don_vi = forms.ChoiceField(
        label=_("Provinces"),
        required=False,
        choices=[("", _("Today's 34 provinces")), ("cu", _("The 63 provinces before 1 July 2025"))],
    )

    def __init__(self, data=None, **kwargs):
        data = data.copy() if data is not None else None
        if data is not None and "don-vi" in data:
            data["don_vi"] = data["don-vi"]
        super().__init__(data, **kwargs)

    def clean_ngay(self) -> dt.date:
        day = self.cleaned_data.get("ngay") or timezone.localdate()
        if day < dt.date(PROGRAMME_FIRST_YEAR, 1, 1):
            raise forms.ValidationError(_("The OCOP programme started in 2018: choose a later date."))
        if day > timezone.localdate():
            raise forms.ValidationError(_("Statistics cannot be computed for a date in the future."))
        return day

    def clean(self):
        data = super().clean() or {}
        day = data.get("ngay")
        if day and data.get("nam") and data["nam"] > day.year:
            self.add_error("nam", _("The year cannot be after the date the figures are computed for."))
        return data

    def period(self) -> tuple[dt.date, int, bool]:
        """(as of, year, former provinces) from valid input; today and this year for what was not valid."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        on = data.get("ngay") or timezone.localdate()
        return on, data.get("nam") or on.year, data.get("don_vi") == "cu"

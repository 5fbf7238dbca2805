"""Forms of the import pages: the upload with what the officer knows of the file, and the column mapping."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.permissions import is_central
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.core.tabular import MAX_BYTES
from ocop.geo.models import Commune, Province
from ocop.spreadsheets.headers import FIELDS

ACCEPT = ".xlsx,.xls,.csv"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("List file"),
        help_text=_("An .xlsx, .xls or .csv list as the province publishes it (at most 20 MB)."),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        error_messages={"empty": _("The file is empty."), "required": _("Choose the list file to upload.")},
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.order_by("sort_key"),
        required=False,
        help_text=_("Rows without a province are placed here."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=PROGRAMME_FIRST_YEAR, max_value=LAST_YEAR, required=False)
    decision_number = forms.CharField(
        label=_("Decision number"), max_length=40, required=False, help_text=_("For rows that do not give one.")
    )
    decision_date = forms.DateField(
        label=_("Decision date"),
        required=False,
        help_text=_("dd/mm/yyyy, for rows that do not give one."),
        widget=forms.DateInput(attrs={"placeholder": "26/09/2023"}),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not is_central(user):
            # A province officer imports into their own province only.
            province = self.fields["province"]
            assert isinstance(province, forms.ModelChoiceField)
            province.queryset = Province.objects.filter(pk=user.province_id)
            province.required = True
            province.empty_label = None
            province.initial = user.province_id

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."), code="empty")
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("The file is %(size)s MB; the limit is %(max)s MB. Split the list into smaller files."),
                code="too_big",
                params={"size": round(upload.size / 1024 / 1024, 1), "max": MAX_BYTES // 1024 // 1024},
            )
        return upload


def field_choices() -> list[tuple[str, Any]]:
    return [("", _("— not imported —")), *((name, label) for name, (label, _synonyms) in FIELDS.items())]


class MappingForm(forms.Form):
    """One choice per column of the file: which field it holds, or nothing."""

    def __init__(self, *args: Any, headers: list[str], mapping: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = field_choices()
        for index, header in enumerate(headers):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=header or _("Column %(n)s") % {"n": index + 1},
                choices=choices,
                required=False,
                initial=mapping.get(str(index), ""),
            )

    def mapping(self) -> dict[int, str]:
        return {int(name[4:]): value for name, value in self.cleaned_data.items() if value}


class ReviewForm(forms.Form):
    commune = forms.ModelChoiceField(label=_("Commune"), queryset=Commune.objects.none())

    def __init__(self, *args: Any, item: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = item.candidates.select_related("province").order_by("sort_key")


class CertificateCompletionForm(forms.Form):
    """What an officer adds to a certificate a list left incomplete; every field optional, at least one given."""

    decision_number = forms.CharField(label=_("Decision number"), max_length=40, required=False)
    issued_on = forms.DateField(
        label=_("Decision date"),
        required=False,
        input_formats=["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"],
        help_text=_("dd/mm/yyyy"),
        widget=forms.DateInput(attrs={"placeholder": "26/09/2023"}),
    )
    issuer = forms.CharField(label=_("Issued by"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"placeholder": "UBND tỉnh …"}))  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        if not self.errors and not any(data.get(name) for name in ("decision_number", "issued_on", "issuer")):
            raise forms.ValidationError(_("Fill in at least one of the decision number, its date and the issuer."))
        return data


class ProducerCommuneForm(forms.Form):
    commune = forms.ModelChoiceField(
        label=_("Commune"),
        queryset=Commune.objects.none(),
        error_messages={
            "required": _("Choose the commune."),
            "invalid_choice": _("Choose a commune of the producer's province."),
        },
    )

    def __init__(self, *args: Any, province_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        commune = self.fields["commune"]
        assert isinstance(commune, forms.ModelChoiceField)
        commune.queryset = Commune.objects.filter(province_id=province_id).order_by("sort_key")


class ChannelImportForm(forms.Form):
    """A list of products on platforms, in supermarkets or exported."""

    file = forms.FileField(label=_("List of sales channels (.xlsx, .xls or .csv)"))
    default_kind = forms.ChoiceField(
        label=_("Kind of channel when a row does not say"), required=False,
        choices=[("", _("Each row says (a “Loại kênh” column)")), ("ecommerce", _("E-commerce platform")),
                 ("retail", _("Supermarket or retail chain")), ("export", _("Export"))],
    )  # fmt: skip

"""Forms of the programme office: plans, targets, support given and asked for, inspections."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ocop.catalog.models import Product
from ocop.core.text import vn_fold
from ocop.geo.models import LegacyProvince, Province
from ocop.office.models import Inspection, Plan, SupportActivity, SupportRequest, Target
from ocop.producers.models import Producer

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.NumberInput(attrs={"min": 0, "step": 1000, "inputmode": "numeric"})


class PlanForm(forms.ModelForm):
    """A plan: its place (today's province, a former one, or the nation), period, basis and tasks (one a line)."""

    tasks = forms.CharField(
        label=_("Tasks"), required=False, max_length=10000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_("One task a line, in the plan's order, e.g. “Tổ chức sản xuất gắn với vùng nguyên liệu”."),
    )  # fmt: skip

    class Meta:
        model = Plan
        fields = ["kind", "name", "number", "signed_on", "province", "legacy_province", "start_year", "end_year",
                  "legal_basis"]  # fmt: skip
        widgets = {"signed_on": DATE_WIDGET, "legal_basis": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, provinces: Any, national: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        legacy = self.fields["legacy_province"]
        assert isinstance(province, forms.ModelChoiceField) and isinstance(legacy, forms.ModelChoiceField)
        province.queryset = provinces
        legacy.queryset = LegacyProvince.objects.filter(successor__in=provinces).order_by("sort_key")
        province.empty_label = _("The whole country (central office)") if national else "—"
        if self.instance.pk:
            self.fields["tasks"].initial = "\n".join(t.title for t in self.instance.tasks.all())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("province") and not data.get("legacy_province") and self.fields["province"].empty_label == "—":  # type: ignore[attr-defined]
            self.add_error("province", _("Choose the province (or former province) of the plan."))
        return data


class TargetForm(forms.ModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "stars", "year", "value", "entered_actual", "entered_source"]
        widgets = {"stars": forms.Select(choices=[("", _("3 stars and up")), (3, "3★"), (4, "4★"), (5, "5★")])}


class SupportForm(forms.ModelForm):
    """Support given; beneficiaries are the province's producers and products (chosen, or listed by tax code or
    name one a line, as course attendance sheets give them)."""

    producer_lines = forms.CharField(
        label=_("Or list producers"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: tax code or exact name of a producer of the province."),
    )  # fmt: skip

    class Meta:
        model = SupportActivity
        fields = ["kind", "title", "held_on", "province", "plan", "provider", "participants", "budget_central",
                  "budget_province", "budget_local", "budget_other", "producers", "products", "note"]  # fmt: skip
        widgets = {
            "held_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 3}),
            "producers": forms.SelectMultiple(attrs={"size": 10}), "products": forms.SelectMultiple(attrs={"size": 8}),
            "budget_central": MONEY, "budget_province": MONEY, "budget_local": MONEY, "budget_other": MONEY,
        }  # fmt: skip

    def __init__(self, *args: Any, provinces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
        province_id = self._province_id(provinces)
        self.province_id = province_id
        fields: dict[str, Any] = self.fields
        fields["producers"].queryset = Producer.objects.filter(province_id=province_id or 0).order_by("sort_key")
        products = Product.objects.filter(province_id=province_id or 0).exclude(status=Product.Status.DRAFT)
        fields["products"].queryset = products.order_by("sort_key")
        national = Q(province__isnull=True, legacy_province__isnull=True)
        fields["plan"].queryset = Plan.objects.filter(Q(owner_province_id=province_id or 0) | national)
        for source in ("budget_central", "budget_province", "budget_local", "budget_other"):
            fields[source].required = False  # empty is nothing from that source
        self.fields["producers"].help_text = _("Hold Ctrl (or ⌘) to choose several.")
        self.fields["products"].help_text = _("Hold Ctrl (or ⌘) to choose several.")

    def _province_id(self, provinces: Any) -> int | None:
        chosen = str(self.data.get("province", "")) if self.is_bound else ""
        if chosen.isdigit() and len(chosen) < 10:
            return int(chosen)
        if self.instance.pk:
            return self.instance.province_id
        only = list(provinces.values_list("pk", flat=True)[:2])
        return only[0] if len(only) == 1 else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = [line.strip() for line in (data.get("producer_lines") or "").splitlines() if line.strip()]
        if lines and self.province_id:
            mine = Producer.objects.filter(province_id=self.province_id)
            by_tax = {p.tax_code: p for p in mine.filter(tax_code__in=lines)}
            by_name = {p.name_folded: p for p in mine.filter(name_folded__in=[vn_fold(x) for x in lines])}
            found, unknown = list(data.get("producers") or []), []
            for line in lines:
                producer = by_tax.get(line) or by_name.get(vn_fold(line))
                if producer is None:
                    unknown.append(line)
                elif producer not in found:
                    found.append(producer)
            if unknown:
                self.add_error("producer_lines", _("No producer of the province has this tax code or name: %(lines)s")
                               % {"lines": "; ".join(unknown[:10])})  # fmt: skip
            data["producers"] = found
        return data


class SupportRequestForm(forms.ModelForm):
    class Meta:
        model = SupportRequest
        fields = ["producer", "product", "kind", "message"]
        widgets = {"message": forms.Textarea(attrs={"rows": 4, "maxlength": 2000})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        producers = Producer.objects.filter(memberships__user=user).order_by("sort_key")
        self.fields["producer"].queryset = producers  # type: ignore[attr-defined]
        self.fields["product"].queryset = Product.objects.filter(producer__in=producers).order_by("sort_key")  # type: ignore[attr-defined]
        if producers.count() == 1:
            self.fields["producer"].empty_label = None  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    grant = forms.TypedChoiceField(
        label=_("Answer"), choices=[("1", _("Grant")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )
    answer = forms.CharField(label=_("Message to the producer"), max_length=500, required=False)
    activity = forms.ModelChoiceField(label=_("Support recorded for it"), queryset=SupportActivity.objects.none(),
                                      required=False)  # fmt: skip

    def __init__(self, *args: Any, province_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = SupportActivity.objects.filter(province_id=province_id or 0)  # type: ignore[attr-defined]


class InspectionForm(forms.ModelForm):
    """An inspection: the checklist as a yes/no/not checked choice per point, findings, photos and outcome."""

    photos = forms.FileField(
        label=_("Photos"), required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )  # fmt: skip

    class Meta:
        model = Inspection
        fields = ["kind", "planned_on", "inspected_on", "inspectors", "findings", "outcome", "remedy_by"]
        widgets = {"planned_on": DATE_WIDGET, "inspected_on": DATE_WIDGET, "remedy_by": DATE_WIDGET,
                   "findings": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["photos"].widget.attrs["multiple"] = True
        for key, label in Inspection.CHECKS:
            current = self.instance.checklist.get(key) if self.instance.pk else None
            self.fields[f"check_{key}"] = forms.ChoiceField(
                label=label, required=False,
                choices=[("", _("Not checked")), ("yes", _("Meets")), ("no", _("Does not meet"))],
                initial="" if current is None else ("yes" if current else "no"),
            )  # fmt: skip
        self.order_fields(["kind", "planned_on", "inspected_on", "inspectors", *[f"check_{k}" for k, _l in
                                                                                  Inspection.CHECKS]])  # fmt: skip

    def checklist(self) -> dict[str, bool]:
        return {key: self.cleaned_data[f"check_{key}"] == "yes" for key, _l in Inspection.CHECKS
                if self.cleaned_data.get(f"check_{key}")}  # fmt: skip


class CertificateChoiceForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=40)


class RevocationForm(forms.Form):
    decision_number = forms.CharField(label=_("Revocation decision number"), max_length=40)
    revoked_on = forms.DateField(label=_("Decision date"), widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown on the public verification page: the decision's reason, not the inspection's findings."),
    )


class AnnualReportForm(forms.Form):
    """Which annual report: the nation, a province or a former province, and the year."""

    nam = forms.IntegerField(label=_("Year"), min_value=2018, max_value=2100)
    tinh = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.order_by("sort_key"), required=False,
                                  to_field_name="slug", empty_label=_("The whole country"))  # fmt: skip
    tinh_cu = forms.ModelChoiceField(label=_("Former province"), queryset=LegacyProvince.objects.order_by("sort_key"),
                                     required=False, to_field_name="code", empty_label="—")  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("tinh") and data.get("tinh_cu"):
            raise forms.ValidationError(_("Choose a province or a former province, not both."))
        return data

"""Forms of the OCOP cycle pages; the rules live in services, forms only shape input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.catalog.models import Category, Regime
from ocop.core.programme import LAST_YEAR, PROGRAMME_FIRST_YEAR
from ocop.evaluation.models import Dossier, EvaluationRound
from ocop.evaluation.services import EVIDENCE_MAX_BYTES
from ocop.producers.models import Producer


class DossierForm(forms.Form):
    producer = forms.ModelChoiceField(label=_("Producer"), queryset=Producer.objects.none())
    evaluation_round = forms.ModelChoiceField(label=_("Round"), queryset=EvaluationRound.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=Dossier.Kind.choices, initial=Dossier.Kind.NEW)
    previous = forms.ModelChoiceField(
        label=_("Previous dossier"), queryset=Dossier.objects.none(), required=False,
        help_text=_("For an upgrade or re-evaluation: its data, evidence and self-assessment are copied."),
    )  # fmt: skip
    product_name = forms.CharField(label=_("Product name"), max_length=255, required=False)
    category = forms.ModelChoiceField(
        label=_("Product group"),
        queryset=Category.objects.filter(regime=Regime.D148_2023, children__isnull=True).order_by("code"),
        required=False,
    )
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        producers = Producer.objects.filter(memberships__user=user).order_by("sort_key")
        self.fields["producer"].queryset = producers  # type: ignore[attr-defined]
        today = timezone.localdate()
        self.fields["evaluation_round"].queryset = EvaluationRound.objects.filter(  # type: ignore[attr-defined]
            province__in=producers.values("province"),
            opens_on__lte=today,
            submission_deadline__gte=today,
            historic=False,
        ).select_related("province")
        self.fields["previous"].queryset = Dossier.objects.filter(  # type: ignore[attr-defined]
            producer__in=producers
        ).order_by("-created_at")
        self.fields["category"].label_from_instance = lambda c: f"{c.code} {c.name}"  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == Dossier.Kind.NEW and not (data.get("product_name") or "").strip():
            self.add_error("product_name", _("Give the product's name."))
        if data.get("kind") == Dossier.Kind.NEW and not data.get("category"):
            self.add_error("category", _("Choose the product group."))
        if data.get("kind") != Dossier.Kind.NEW and not data.get("previous"):
            self.add_error("previous", _("Choose the dossier to start from."))
        return data


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, PNG or JPEG, at most 10 MB)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))  # fmt: skip
    title = forms.CharField(label=_("What it shows"), max_length=200, required=False)
    criterion = forms.TypedChoiceField(label=_("For the criterion"), required=False, coerce=int, empty_value=None,
                                       choices=[("", _("— the dossier as a whole —"))])  # fmt: skip

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        if criteria:
            self.fields["criterion"].choices = [  # type: ignore[attr-defined]
                ("", _("— the dossier as a whole —")),
                *((c.pk, f"{c.code} {c.name}"[:120]) for c in criteria),
            ]
        else:  # a posted form: any number, checked against the dossier's own criteria by the view
            self.fields["criterion"] = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 10 MB."), code="too_big")
        return upload


class PrecheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Outcome"), widget=forms.RadioSelect,
        choices=[("forward", _("Forward to the province council")), ("return", _("Return to the producer"))],
    )  # fmt: skip
    missing = forms.CharField(
        label=_("What is missing (one item per line)"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason for re-scoring"), widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=40)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"placeholder": "26/09/2023"}))
    signer = forms.CharField(label=_("Signed by"), max_length=150)
    issuer = forms.CharField(label=_("Issuing body"), max_length=200)
    dossiers = forms.ModelMultipleChoiceField(
        label=_("Dossiers"), queryset=Dossier.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, dossiers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].queryset = dossiers  # type: ignore[attr-defined]


class RoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=PROGRAMME_FIRST_YEAR, max_value=LAST_YEAR)
    number = forms.IntegerField(label=_("Round"), min_value=1, max_value=9, initial=1)
    opens_on = forms.DateField(label=_("Opens on"))
    submission_deadline = forms.DateField(label=_("Dossiers by"))
    scoring_deadline = forms.DateField(label=_("Scoring by"))
    training = forms.BooleanField(
        label=_("Training round"), required=False,
        help_text=_("For practice with the training criteria set: nothing scored in it is ever recognised."),
    )  # fmt: skip


class CouncilForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members who score"), queryset=User.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    advisors = forms.ModelMultipleChoiceField(
        label=_("Advisory group"), queryset=User.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("chair", "members", "advisors"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]
            self.fields[name].label_from_instance = lambda u: u.display_name  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean() or {}
        chair, members, advisors = data.get("chair"), set(data.get("members") or []), set(data.get("advisors") or [])
        if chair in members or chair in advisors or members & advisors:
            raise forms.ValidationError(_("Each person holds one seat on the council."))
        return data

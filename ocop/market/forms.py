"""Forms of trade connection: inquiries (with a honeypot), replies, demands, offers, booths, channels, material."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.catalog.models import Category, Regime
from ocop.geo.models import Province
from ocop.market.models import (
    BoothType,
    BuyerDemand,
    Fair,
    Inquiry,
    PromotionMaterial,
    RetailContract,
    SalePoint,
    SalesChannel,
)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InquiryForm(forms.ModelForm):
    """A request for a quote. `website` is a honeypot: hidden from people, filled in by bots."""

    website = forms.CharField(required=False, label=_("Leave this empty"), widget=forms.TextInput(
        attrs={"autocomplete": "off", "tabindex": "-1"}))  # fmt: skip

    class Meta:
        model = Inquiry
        fields = ["name", "organisation", "phone", "email", "quantity", "unit", "target_price", "delivery_province",
                  "needed_by", "message"]  # fmt: skip
        widgets = {"needed_by": DATE_WIDGET, "message": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery_province"].queryset = Province.objects.order_by("sort_key")  # type: ignore[attr-defined]
        self.fields["quantity"].min_value = 0.01  # type: ignore[attr-defined]
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.display_name
            self.fields["organisation"].initial = user.organisation
            self.fields["email"].initial = user.email
            self.fields["phone"].initial = user.phone

    def clean(self):
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("This form was filled in automatically; it was not sent."))
        if not data.get("phone") and not data.get("email"):
            raise forms.ValidationError(_("Give a phone number or an e-mail address so the producer can answer."))
        return data


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Your message"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class DemandForm(forms.ModelForm):
    class Meta:
        model = BuyerDemand
        fields = ["organisation", "title", "description", "category", "quantity", "unit", "frequency", "min_stars",
                  "certifications", "delivery_province", "deadline"]  # fmt: skip
        widgets = {
            "deadline": DATE_WIDGET,
            "description": forms.Textarea(attrs={"rows": 4}),
            "min_stars": forms.Select(choices=[(3, "3★"), (4, "4★"), (5, "5★")]),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(regime=Regime.D148_2023).order_by("position")  # type: ignore[attr-defined]
        self.fields["delivery_province"].queryset = Province.objects.order_by("sort_key")  # type: ignore[attr-defined]


class OfferForm(forms.Form):
    product: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Your product"), queryset=None)
    price = forms.IntegerField(label=_("Price per unit (VND)"), min_value=0, required=False)
    message = forms.CharField(
        label=_("Message to the buyer"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = products  # type: ignore[attr-defined]


class BoothRequestForm(forms.Form):
    booth_type = forms.ModelChoiceField(label=_("Booth type"), queryset=BoothType.objects.none())
    producer: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Producer"), queryset=None)
    products: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("Products you will show"), queryset=None, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, fair=None, producers=None, products=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["booth_type"].queryset = BoothType.objects.filter(fair=fair)  # type: ignore[attr-defined]
        self.fields["producer"].queryset = producers  # type: ignore[attr-defined]
        self.fields["products"].queryset = products  # type: ignore[attr-defined]
        if producers is not None and len(producers) == 1:  # the usual case: a member of one producer
            self.fields["producer"].initial = producers[0].pk
            self.fields["producer"].empty_label = None  # type: ignore[attr-defined]


class ChannelForm(forms.ModelForm):
    class Meta:
        model = SalesChannel
        fields = ["kind", "name", "url", "stores", "since", "until"]
        widgets = {"since": DATE_WIDGET, "until": DATE_WIDGET}

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == SalesChannel.Kind.ECOMMERCE and not data.get("url"):
            self.add_error("url", _("Give the address of the listing on the platform."))
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end cannot be before the start."))
        return data


class MaterialForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PromotionMaterial.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    upload = forms.FileField(label=_("Brochure (PDF, up to 10 MB)"), required=False)


class FairForm(forms.ModelForm):
    """A fair as its organiser announces it; the province list holds only the provinces the officer organises."""

    class Meta:
        model = Fair
        fields = ["name", "organiser", "place", "province", "starts_on", "ends_on", "registration_until",
                  "first_come", "description"]  # fmt: skip
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET, "registration_until": DATE_WIDGET,
                   "description": forms.Textarea(attrs={"rows": 4})}  # fmt: skip

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces  # type: ignore[attr-defined]


class BoothTypeForm(forms.Form):
    """One booth type row; a row left without a name is dropped (an existing type then goes, if unrequested)."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Booth type"), max_length=100, required=False)
    count = forms.IntegerField(label=_("Number of booths"), min_value=0, max_value=5000, required=False)
    price = forms.IntegerField(label=_("Price (VND)"), min_value=0, max_value=10**12, required=False)

    def clean(self):
        data = super().clean() or {}
        if data.get("name") and data.get("count") is None:
            self.add_error("count", _("Say how many booths of this type there are."))
        return data


BoothTypeFormSet = forms.formset_factory(BoothTypeForm, extra=2, max_num=20, absolute_max=40)


class SalePointForm(forms.ModelForm):
    """A sale point; its communes and products are those of its province (chosen first; the page reloads them)."""

    class Meta:
        model = SalePoint
        fields = ["name", "operator", "province", "commune", "address", "opening_hours", "phone", "email", "lat",
                  "lon", "opened_on", "closed_on", "products"]  # fmt: skip
        widgets = {"opened_on": DATE_WIDGET, "closed_on": DATE_WIDGET,
                   "products": forms.SelectMultiple(attrs={"size": 12})}  # fmt: skip

    def __init__(self, *args, provinces=None, **kwargs):
        from ocop.catalog.models import Product
        from ocop.geo.models import Commune

        super().__init__(*args, **kwargs)
        if provinces is not None:
            self.fields["province"].queryset = provinces  # type: ignore[attr-defined]
        province_id = self._province_id(provinces)
        communes = Commune.objects.filter(province_id=province_id or 0).order_by("sort_key")
        self.fields["commune"].queryset = communes  # type: ignore[attr-defined]
        products = Product.objects.filter(province_id=province_id or 0, certificate_status="valid")
        self.fields["products"].queryset = products.order_by("sort_key")  # type: ignore[attr-defined]
        self.fields["products"].help_text = _("Hold Ctrl (or ⌘) to choose several: the province's certified products.")
        if province_id is None:
            self.fields["commune"].help_text = _("Choose the province and save: its communes and products are listed.")

    def _province_id(self, provinces) -> int | None:
        """The province chosen in the sent form, else the point's, else the officer's only one."""
        chosen = str(self.data.get("province", "")) if self.is_bound else ""
        if chosen.isdigit() and len(chosen) < 10:
            return int(chosen)
        if self.instance.pk:
            return self.instance.province_id
        if provinces is not None and provinces.count() == 1:
            return provinces.first().pk
        return None


class ContractForm(forms.ModelForm):
    """A retail contract: the product is one of the organiser's provinces' published products."""

    class Meta:
        model = RetailContract
        fields = ["product", "chain", "stage", "stores", "volume", "unit", "value", "signed_on", "supply_from",
                  "ended_on", "note"]  # fmt: skip
        widgets = {"signed_on": DATE_WIDGET, "supply_from": DATE_WIDGET, "ended_on": DATE_WIDGET,
                   "note": forms.Textarea(attrs={"rows": 3})}  # fmt: skip

    def __init__(self, *args, provinces=None, **kwargs):
        from ocop.catalog.models import Product

        super().__init__(*args, **kwargs)
        products = Product.objects.exclude(status=Product.Status.DRAFT).select_related("producer")
        if provinces is not None:
            products = products.filter(province__in=provinces)
        self.fields["product"].queryset = products.order_by("sort_key")  # type: ignore[attr-defined]
        self.fields["product"].label_from_instance = lambda p: f"{p.name} — {p.producer.name}"  # type: ignore[attr-defined]
        self.fields["value"].help_text = _("Whole đồng, e.g. 250000000")

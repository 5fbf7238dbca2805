from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.core.text import nfc
from ocop.geo.models import Commune, Province


def _name(obj: Any) -> str:
    return obj.name


def _producers():
    """Producers live in a layer above accounts: looked up by the app registry, not imported."""
    return apps.get_model("producers", "Producer").objects


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves."""

    class Meta:
        model = User
        fields = ["full_name", "phone", "organisation"]  # the e-mail changes through a confirmed link

    def clean_full_name(self) -> str:
        return nfc(self.cleaned_data["full_name"])

    def clean_organisation(self) -> str:
        return nfc(self.cleaned_data["organisation"])

    def clean_phone(self) -> str:
        phone = nfc(self.cleaned_data["phone"]).replace(" ", "").replace(".", "")
        if phone and not phone.lstrip("+").isdigit():
            raise forms.ValidationError(_("A phone number contains only digits (and an optional leading +)."))
        return phone


class ApiTokenForm(forms.Form):
    """Name a new personal API token."""

    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What will use it, e.g. “Sàn TMĐT X”."))


class InvitationForm(forms.Form):
    """Whom to invite, with which role and area (the choices are those the inviter may give)."""

    email = forms.EmailField(label=_("E-mail"), max_length=254)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.order_by("sort_key"), required=False
    )
    commune = forms.ModelChoiceField(
        label=_("Commune"), queryset=Commune.objects.none(), required=False,
        help_text=_("For a commune officer."),
    )  # fmt: skip
    producer = forms.ModelChoiceField(
        label=_("Producer"), queryset=_producers().none(), required=False,
        help_text=_("For a producer's account: the producer it acts for."),
    )  # fmt: skip

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ocop.accounts.invitations import roles_invitable_by
        from ocop.accounts.permissions import is_central

        role = self.fields["role"]
        assert isinstance(role, forms.ChoiceField)
        role.choices = [(value, User.Role(value).label) for value in roles_invitable_by(user)]
        province = self.fields["province"]
        commune = self.fields["commune"]
        producer = self.fields["producer"]
        assert isinstance(province, forms.ModelChoiceField)
        assert isinstance(commune, forms.ModelChoiceField) and isinstance(producer, forms.ModelChoiceField)
        if is_central(user):  # the central office invites officers and council members: no commune, no producer
            del self.fields["commune"], self.fields["producer"]
        else:
            province.queryset = Province.objects.filter(pk=user.province_id)
            province.initial = user.province_id
            province.empty_label = None
            commune.queryset = Commune.objects.filter(province_id=user.province_id).order_by("sort_key")
            commune.label_from_instance = _name  # type: ignore[method-assign]  # the province is theirs
            producer.queryset = _producers().filter(province_id=user.province_id).order_by("name")

    def clean_full_name(self) -> str:
        return nfc(self.cleaned_data["full_name"])


class InvitationAcceptForm(forms.Form):
    """The invited person's user name, name and password."""

    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it."),
    )  # fmt: skip
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                max_length=128)  # fmt: skip
    password2 = forms.CharField(label=_("The password again"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip

    def clean_full_name(self) -> str:
        return nfc(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean() or {}
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class SignupForm(forms.Form):
    """A producer or buyer opens its own account; `website` is a honeypot (hidden from people)."""

    role = forms.ChoiceField(label=_("I am"), choices=[
        ("producer", _("a producer (enterprise, cooperative, household business) in the OCOP programme")),
        ("buyer", _("a buyer (supermarket, distributor, exporter, shop)")),
    ], widget=forms.RadioSelect)  # fmt: skip
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()],
        help_text=_("Letters, digits and @ . + - _ only; you sign in with it."),
    )  # fmt: skip
    password1 = forms.CharField(label=_("Password"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip
    password2 = forms.CharField(label=_("The password again"), max_length=128,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip
    website = forms.CharField(required=False, label=_("Leave this empty"),
                              widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))  # fmt: skip

    def clean_full_name(self) -> str:
        return nfc(self.cleaned_data["full_name"])

    def clean(self):
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("This form was filled in automatically; it was not sent."))
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("The two passwords differ."))
        return data


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New e-mail address"), max_length=254)
    password = forms.CharField(label=_("Your password"), max_length=128,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))  # fmt: skip


class CodeForm(forms.Form):
    """A six-digit code from the authenticator app, or a backup code."""

    code = forms.CharField(
        label=_("Code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True,
                                      "spellcheck": "false", "size": 10}),
    )  # fmt: skip

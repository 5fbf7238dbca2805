from django import forms
from django.utils.translation import gettext_lazy as _

from ocop.accounts.models import User
from ocop.core.text import nfc


class ProfileForm(forms.ModelForm):
    """What a user may change about themselves."""

    class Meta:
        model = User
        fields = ["full_name", "email", "phone", "organisation"]

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

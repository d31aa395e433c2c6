"""Forms check the shape of input; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _


class AntiPhishingCodeForm(forms.Form):
    code = forms.RegexField(
        label=_("Your anti-phishing code"),
        regex=r"^\s*[A-Za-z0-9]{4,20}\s*$",
        max_length=40,
        error_messages={"invalid": _("Use 4 to 20 letters and digits.")},
        help_text=_("4 to 20 letters and digits. Never share it; we will never ask for it."),
    )


class FreezeRequestForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of the account"), max_length=254)
    exchange_uid = forms.RegexField(
        label=_("Exchange UID"),
        regex=r"^\s*[0-9A-Za-z]{4,32}\s*$",
        max_length=40,
        error_messages={"invalid": _("Enter the UID shown in your exchange profile.")},
    )

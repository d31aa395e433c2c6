"""Forms check the shape of input; the services enforce the rules."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChainNetwork
from .selectors import txid_matches
from .verifier import MAX_LENGTH


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


class DepositTraceForm(forms.Form):
    coin = forms.RegexField(label=_("Coin"), regex=r"^\s*[A-Za-z0-9]{2,10}\s*$", max_length=20)
    network = forms.ModelChoiceField(
        label=_("Network"), queryset=ChainNetwork.objects.all(), to_field_name="code"
    )
    txid = forms.CharField(label=_("Transaction ID (TXID)"), max_length=100, strip=True)
    address = forms.CharField(
        label=_("Your deposit address (optional)"), max_length=100, required=False, strip=True
    )
    memo = forms.CharField(
        label=_("Memo / tag (if the network needs one)"), max_length=100, required=False
    )

    def clean(self):
        data = super().clean()
        network, txid, coin = data.get("network"), data.get("txid"), data.get("coin")
        if network and coin and coin.strip().upper() not in network.coin_list:
            self.add_error(
                "coin",
                _("%(coin)s is not deposited on %(network)s.")
                % {"coin": coin.strip().upper(), "network": network.name},
            )
        if network and txid and not txid_matches(network=network, txid=txid):
            self.add_error(
                "txid",
                _("This is not a valid %(network)s transaction ID.") % {"network": network.name},
            )
        if data.get("coin"):
            data["coin"] = data["coin"].strip().upper()
        return data


class ChannelVerifyForm(forms.Form):
    value = forms.CharField(
        label=_("Website, e-mail address, phone number or Telegram/X handle"),
        max_length=MAX_LENGTH,
        strip=True,
    )

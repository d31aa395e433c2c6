from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_TYPES


class SearchForm(forms.Form):
    q = forms.CharField(max_length=200, required=False, strip=True)
    type = forms.ChoiceField(
        choices=[("", _("Everything"))] + [(k, k) for k in SEARCH_TYPES], required=False
    )
    category = forms.SlugField(required=False)
    lang = forms.ChoiceField(choices=[("", ""), *settings.LANGUAGES], required=False)


class FeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], coerce=lambda v: v == "yes"
    )
    comment = forms.CharField(max_length=2000, required=False, widget=forms.Textarea)

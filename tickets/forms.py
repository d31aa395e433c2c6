"""Forms check the shape of input; services enforce the rules."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .intake import NETWORKS, Field, fields_for
from .models import Ticket
from .uploads import MAX_FILES_PER_MESSAGE


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs["accept"] = ".png,.jpg,.jpeg,.webp,.pdf"

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            if len(data) > MAX_FILES_PER_MESSAGE:
                raise forms.ValidationError(
                    _("Attach at most %(count)d files.") % {"count": MAX_FILES_PER_MESSAGE}
                )
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CategoryForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What do you need help with?"), choices=Ticket.Category.choices
    )


def _intake_field(field: Field) -> forms.Field:
    label, required = field.label, field.required
    if field.kind == "network":
        return forms.ChoiceField(
            choices=[("", "—"), *NETWORKS.items()], label=label, required=required
        )
    if field.kind == "long_text":
        return forms.CharField(
            widget=forms.Textarea(attrs={"rows": 3}),
            max_length=field.max_length,
            label=label,
            required=required,
        )
    if field.kind == "datetime":
        return forms.CharField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            max_length=40,
            label=label,
            required=required,
        )
    widget = forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"})
    return forms.CharField(
        max_length=field.max_length, widget=widget, label=label, required=required
    )


class TicketCreateForm(forms.Form):
    """The chosen category's intake fields, then subject, description, files."""

    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-kb-suggest": "1"}),
    )
    body = forms.CharField(
        label=_("Describe the problem"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    attachments = MultipleFileField(label=_("Screenshots or documents (PNG, JPG, WebP, PDF)"))

    def __init__(self, *args, category: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.category = category
        self.intake_names: list[str] = []
        for field in reversed(fields_for(category)):
            name = f"intake_{field.name}"
            self.intake_names.insert(0, name)
            self.fields = {name: _intake_field(field), **self.fields}

    def intake_fields(self):
        return [self[name] for name in self.intake_names]

    def intake_data(self) -> dict:
        return {
            name.removeprefix("intake_"): self.cleaned_data.get(name) for name in self.intake_names
        }


class ReplyForm(forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000
    )
    attachments = MultipleFileField(label=_("Attach files"))


class RatingForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoAccountForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address of your account"))
    exchange_uid = forms.RegexField(label=_("Exchange UID"), regex=r"^\d{6,20}$", max_length=20)
    body = forms.CharField(
        label=_("What happened?"), widget=forms.Textarea(attrs={"rows": 6}), max_length=10000
    )
    language = forms.ChoiceField(
        choices=settings.LANGUAGES, required=False, widget=forms.HiddenInput
    )

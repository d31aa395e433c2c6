from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils import translation

from support_portal.mail import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        return settings.ACCOUNT_ALLOW_SIGNUP

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the reader's language now; send from the task queue later."""
        context = {**context, "SITE_NAME": settings.SITE_NAME}
        message = self.render_mail(template_prefix, email, context)
        email_enqueue(message=message)

    def save_user(self, request, user, form, commit=True):
        # A new account starts in the language the visitor was reading.
        user.preferred_language = translation.get_language() or settings.LANGUAGE_CODE
        return super().save_user(request, user, form, commit=commit)

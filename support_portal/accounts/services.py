from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from .models import User
from .roles import Role


def user_set_language(*, user: User, language: str) -> User:
    """Save the user's interface language; it then follows them across devices."""
    try:
        code = translation.get_supported_language_variant(language, strict=True)
    except LookupError as exc:
        raise ValidationError(_("Unsupported language."), code="language") from exc
    if user.preferred_language != code:
        user.preferred_language = code
        user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def user_grant_role(*, user: User, role: Role) -> User:
    """Make the user a member of staff with the given role.

    Staff status is what lets them into the admin (the agent console); the
    group decides what they may do there.
    """
    group = Group.objects.get(name=role.value)
    user.groups.add(group)
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return user


@transaction.atomic
def user_revoke_role(*, user: User, role: Role) -> User:
    user.groups.remove(Group.objects.get(name=role.value))
    if not user.is_superuser and not user.groups.filter(name__in=Role.values).exists():
        user.is_staff = False
        user.save(update_fields=["is_staff"])
    return user

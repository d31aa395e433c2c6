"""Staff roles. Customers are plain users with no group.

The groups and their permissions are created by data migrations (see
migrations/0002_roles.py); the names here must match them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENT = "Agent", _("Agent")
    SENIOR_AGENT = "Senior agent", _("Senior agent")
    EDITOR = "Editor", _("Editor")

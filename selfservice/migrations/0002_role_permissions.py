"""Let agents read the self-service records in the console.

Agent and Senior agent: view the exchange's events and the customer records
(masked in the admin), the freezes and the outbound webhooks. Senior agent:
also edit the chain network settings.
"""

from django.db import migrations

from support_portal.role_migrations import grant_role_permissions, revoke_role_permissions

VIEWABLE = [
    "integrationevent",
    "kyclevel",
    "kycchange",
    "securitysnapshot",
    "signin",
    "passwordchange",
    "accountfreeze",
    "outboundwebhook",
    "webhookattempt",
    "chainnetwork",
]
AGENT = [f"view_{model}" for model in VIEWABLE] + ["change_accountfreeze"]
SENIOR_AGENT = [*AGENT, "change_chainnetwork", "change_outboundwebhook"]
ROLE_PERMISSIONS = {"Agent": AGENT, "Senior agent": SENIOR_AGENT}


def grant(apps, schema_editor):
    grant_role_permissions(apps, "selfservice", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_role_permissions(apps, "selfservice", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("selfservice", "0001_initial"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

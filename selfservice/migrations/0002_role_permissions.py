"""Let agents read the self-service records in the console.

Agent and Senior agent: view the exchange's events and the customer records
(masked in the admin), the freezes and the outbound webhooks. Senior agent:
also edit the chain network settings.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    app_config = apps.get_app_config("selfservice")
    # The migration state's AppConfigStub lacks models_module, which
    # create_permissions uses only as a "has models" flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="selfservice", codename__in=codenames
            )
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="selfservice", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("selfservice", "0001_initial"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Grant the staff roles their permissions on the new ticket models.

Agent: works the thread (messages, attachments), reads the set-up models and
the outbox. Senior agent: everything an agent has, plus managing teams, SLA
policies, canned replies, priority rules and shifts.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

AGENT = [
    "view_message",
    "add_message",
    "view_attachment",
    "add_attachment",
    "view_ticketevent",
    "view_team",
    "view_cannedreply",
    "view_slapolicy",
    "view_priorityrule",
    "view_shift",
    "view_ticketrating",
    "view_notification",
    "change_notification",
]
SENIOR_AGENT = [
    *AGENT,
    *(
        f"{action}_{model}"
        for model in ("team", "slapolicy", "cannedreply", "priorityrule", "shift")
        for action in ("add", "change", "delete")
    ),
    "view_deflection",
]
ROLE_PERMISSIONS = {"Agent": AGENT, "Senior agent": SENIOR_AGENT}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("tickets")
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
            *Permission.objects.filter(content_type__app_label="tickets", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="tickets", codename__in=codenames
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_grow_ticket_workflow"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Grant the staff roles their permissions on the new ticket models.

Agent: works the thread (messages, attachments), reads the set-up models and
the outbox. Senior agent: everything an agent has, plus managing teams, SLA
policies, canned replies, priority rules and shifts.
"""

from django.db import migrations

from support_portal.role_migrations import grant_role_permissions, revoke_role_permissions

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
    grant_role_permissions(apps, "tickets", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_role_permissions(apps, "tickets", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0002_grow_ticket_workflow"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Create the staff groups and grant their permissions.

Agent: works tickets; may read the knowledge base but not publish.
Editor: writes and publishes knowledge-base content; sees no tickets.
Senior agent: both, plus (as later migrations add them) teams, SLAs and
canned replies.
"""

from django.db import migrations

from support_portal.role_migrations import grant_role_permissions

ROLE_PERMISSIONS = {
    "Agent": [
        ("tickets", "view_ticket"),
        ("tickets", "add_ticket"),
        ("tickets", "change_ticket"),
        ("knowledge", "view_article"),
        ("accounts", "view_user"),
    ],
    "Editor": [
        ("knowledge", "view_article"),
        ("knowledge", "add_article"),
        ("knowledge", "change_article"),
        ("knowledge", "publish_article"),
    ],
    "Senior agent": [
        ("tickets", "view_ticket"),
        ("tickets", "add_ticket"),
        ("tickets", "change_ticket"),
        ("knowledge", "view_article"),
        ("knowledge", "add_article"),
        ("knowledge", "change_article"),
        ("knowledge", "publish_article"),
        ("accounts", "view_user"),
    ],
}


def _by_app() -> dict[str, dict[str, list[str]]]:
    grants: dict[str, dict[str, list[str]]] = {}
    for role, perms in ROLE_PERMISSIONS.items():
        for app_label, codename in perms:
            grants.setdefault(app_label, {}).setdefault(role, []).append(codename)
    return grants


def create_roles(apps, schema_editor):
    for app_label, grants in _by_app().items():
        grant_role_permissions(apps, app_label, grants)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("knowledge", "0001_initial"),
        ("tickets", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

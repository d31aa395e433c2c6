"""Create the staff groups and grant their permissions.

Agent: works tickets; may read the knowledge base but not publish.
Editor: writes and publishes knowledge-base content; sees no tickets.
Senior agent: both, plus (as later migrations add them) teams, SLAs and
canned replies.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations run; create them
    # now so the groups can be granted them in the same migrate.
    for label in ("accounts", "knowledge", "tickets"):
        app_config = apps.get_app_config(label)
        # The migration state's AppConfigStub lacks models_module, which
        # create_permissions uses only as an "has models" flag.
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in perms:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


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

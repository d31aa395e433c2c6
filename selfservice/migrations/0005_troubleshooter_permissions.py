"""Let editors and senior agents maintain the troubleshooters.

Editor and Senior agent: add, change and view trees, steps and answers, and
view the (anonymous) walks behind the drop-off report. No role deletes: a
tree is retired by unpublishing it, which also keeps the step IDs that
recorded walks refer to.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDIT = [
    f"{action}_{model}"
    for model in ("tree", "step", "answer")
    for action in ("add", "change", "view")
]
ROLE_PERMISSIONS = {"Editor": [*EDIT, "view_walk"], "Senior agent": [*EDIT, "view_walk"]}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("selfservice")
    # See 0002_role_permissions: the state's AppConfigStub lacks models_module.
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
    dependencies = [("selfservice", "0004_add_troubleshooters")]

    operations = [migrations.RunPython(grant, revoke)]

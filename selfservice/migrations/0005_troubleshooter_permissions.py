"""Let editors and senior agents maintain the troubleshooters.

Editor and Senior agent: add, change and view trees, steps and answers, and
view the (anonymous) walks behind the drop-off report. No role deletes: a
tree is retired by unpublishing it, which also keeps the step IDs that
recorded walks refer to.
"""

from django.db import migrations

from support_portal.role_migrations import grant_role_permissions, revoke_role_permissions

EDIT = [
    f"{action}_{model}"
    for model in ("tree", "step", "answer")
    for action in ("add", "change", "view")
]
ROLE_PERMISSIONS = {"Editor": [*EDIT, "view_walk"], "Senior agent": [*EDIT, "view_walk"]}


def grant(apps, schema_editor):
    grant_role_permissions(apps, "selfservice", ROLE_PERMISSIONS)


def revoke(apps, schema_editor):
    revoke_role_permissions(apps, "selfservice", ROLE_PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [("selfservice", "0004_add_troubleshooters")]

    operations = [migrations.RunPython(grant, revoke)]

"""Grant the staff roles their permissions on the knowledge-base models.

Editor and Senior agent write content (add/change/view); Agent reads it.
Publishing stays knowledge.publish_article, granted in accounts 0002_roles.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["category", "article", "faqentry", "glossaryterm", "announcement", "articleimage"]
READ_ONLY = ["articlefeedback", "searchquerylog"]
WRITERS = ["Editor", "Senior agent"]


def _grants():
    write = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
    read = [f"view_{model}" for model in MODELS + READ_ONLY]
    grants = {role: sorted(set(write + read)) for role in WRITERS}
    grants["Agent"] = [f"view_{model}" for model in MODELS]
    return grants


def grant(apps, schema_editor):
    app_config = apps.get_app_config("knowledge")
    # The migration state's AppConfigStub lacks models_module, which
    # create_permissions uses only as a "has models" flag.
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in _grants().items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="knowledge", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    keep = {"view_article", "add_article", "change_article", "publish_article"}
    for name, codenames in _grants().items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label="knowledge", codename__in=set(codenames) - keep
                )
            )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_add_content_model"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

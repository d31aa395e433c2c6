"""Grant the staff roles their permissions on the knowledge-base models.

Editor and Senior agent write content (add/change/view); Agent reads it.
Publishing stays knowledge.publish_article, granted in accounts 0002_roles.
"""

from django.db import migrations

from support_portal.role_migrations import grant_role_permissions, revoke_role_permissions

MODELS = ["category", "article", "faqentry", "glossaryterm", "announcement", "articleimage"]
READ_ONLY = ["articlefeedback", "searchquerylog"]
WRITERS = ["Editor", "Senior agent"]


def _grants():
    write = [f"{action}_{model}" for model in MODELS for action in ("add", "change", "view")]
    read = [f"view_{model}" for model in MODELS + READ_ONLY]
    grants = {role: sorted(set(write + read)) for role in WRITERS}
    grants["Agent"] = [f"view_{model}" for model in MODELS]
    return grants


# Granted by accounts 0002_roles; reversing this migration must leave them.
KEEP = {"view_article", "add_article", "change_article", "publish_article"}


def grant(apps, schema_editor):
    grant_role_permissions(apps, "knowledge", _grants())


def revoke(apps, schema_editor):
    grants = {role: set(codenames) - KEEP for role, codenames in _grants().items()}
    revoke_role_permissions(apps, "knowledge", grants)


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0002_add_content_model"),
        ("accounts", "0002_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]

"""Grant and revoke the staff roles' permissions from data migrations.

Every app's migrations give the roles (Agent, Senior agent, Editor) rights on
its new models. The helpers take the migration's historical `apps` and import
no model, so they stay valid however the models change later.
"""

from collections.abc import Iterable, Mapping

from django.contrib.auth.management import create_permissions

# Role (group) name -> permission codenames within one app.
RoleGrants = Mapping[str, Iterable[str]]


def _create_permissions(apps, app_label: str) -> None:
    """Create the app's permissions now, not after the whole migrate, so a
    migration can grant them."""
    app_config = apps.get_app_config(app_label)
    # The migration state's AppConfigStub lacks models_module, which
    # create_permissions uses only as a "has models" flag.
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0)
    finally:
        app_config.models_module = None


def grant_role_permissions(apps, app_label: str, grants: RoleGrants) -> None:
    _create_permissions(apps, app_label)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label=app_label, codename__in=list(codenames)
            )
        )


def revoke_role_permissions(apps, app_label: str, grants: RoleGrants) -> None:
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in grants.items():
        group = Group.objects.filter(name=name).first()
        if group is not None:
            group.permissions.remove(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=list(codenames)
                )
            )

import os

import pytest
from django.core.cache import cache

# Playwright's sync API runs an event loop in the test thread; the ORM calls
# that tests make around it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters and cached pages must not leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _staff_groups_snapshot(django_db_setup, django_db_blocker) -> dict[str, list[tuple[str, str]]]:
    """The staff groups and their permissions as the data migrations made them."""
    from django.contrib.auth.models import Group

    with django_db_blocker.unblock():
        return {
            group.name: list(group.permissions.values_list("content_type__app_label", "codename"))
            for group in Group.objects.prefetch_related("permissions")
        }


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _restore_staff_groups(request):
    """Put back the staff groups for tests that run on a flushed database.

    Transactional tests (live server, threads) end with a flush, which drops
    rows that data migrations created. Content types and permissions come
    back by themselves (post_migrate); the groups do not.
    """
    if not _is_transactional(request):
        return
    snapshot = request.getfixturevalue("_staff_groups_snapshot")
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group, Permission
    from django.core.management.sql import emit_post_migrate_signal

    if not Permission.objects.exists():
        # A flush that skipped post_migrate (serialized rollback) also took
        # the content types and permissions; recreate them as migrate does.
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    for name, perms in snapshot.items():
        group, created = Group.objects.get_or_create(name=name)
        if created:
            for app_label, codename in perms:
                group.permissions.add(
                    Permission.objects.get(content_type__app_label=app_label, codename=codename)
                )


@pytest.fixture
def password() -> str:
    return "correct-horse-battery-9"

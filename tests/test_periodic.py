from datetime import timedelta

import pytest
from django.core.management import call_command
from django_tasks import task

from support_portal import periodic

pytestmark = pytest.mark.django_db

RUNS: list[str] = []


@task()
def _probe(*, label: str) -> None:
    RUNS.append(label)


@pytest.fixture
def registered_probe():
    RUNS.clear()
    periodic.periodic(every=timedelta(minutes=5), label="tick")(_probe)
    yield
    periodic._registry.pop(_probe.module_path, None)


def test_scheduler_once_enqueues_each_periodic_task(registered_probe, capsys):
    call_command("scheduler", once=True)

    assert RUNS == ["tick"]
    assert _probe.module_path in capsys.readouterr().out


def test_periodic_refuses_sub_second_intervals():
    with pytest.raises(ValueError, match="at most once a second"):
        periodic.periodic(every=timedelta(milliseconds=10))


def test_the_apps_register_their_periodic_work():
    names = {entry.name for entry in periodic.periodic_tasks()}

    assert {
        "tickets.tasks.sla_check",
        "selfservice.tasks.webhooks_retry_due",
    } <= names

"""Periodic tasks: a registry the `scheduler` command reads.

Apps mark a django-tasks task as periodic in their tasks.py:

    @periodic(every=timedelta(minutes=1))
    @task()
    def sla_check() -> int: ...

The scheduler only enqueues; the task queue's workers run the work, so the
same code serves the database queue and RQ. Run exactly one scheduler.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class PeriodicTask:
    task: Any  # django_tasks.Task
    every: timedelta
    kwargs: dict = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.task.module_path


_registry: dict[str, PeriodicTask] = {}


def periodic(*, every: timedelta, **kwargs: Any) -> Callable[[Any], Any]:
    if every.total_seconds() < 1:
        raise ValueError("A periodic task runs at most once a second.")

    def decorator(task: Any) -> Any:
        entry = PeriodicTask(task=task, every=every, kwargs=kwargs)
        _registry[entry.name] = entry
        return task

    return decorator


def periodic_tasks() -> list[PeriodicTask]:
    """Every registered periodic task, after importing each app's tasks module."""
    autodiscover_modules("tasks")
    return sorted(_registry.values(), key=lambda entry: entry.name)

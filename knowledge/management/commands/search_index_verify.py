"""Compare the search index with what readers may see, and optionally repair.

Catches anything the queued index tasks missed: a crashed worker, a
scheduled article whose publish time has come, a write Whoosh dropped.
"""

from django.core.management.base import BaseCommand
from haystack import connections
from haystack.query import SearchQuerySet

from knowledge.tasks import search_index_update


class Command(BaseCommand):
    help = "Verify the knowledge-base search index against published content."

    def add_arguments(self, parser):
        parser.add_argument("--repair", action="store_true", help="Fix what differs.")

    def handle(self, *args, repair: bool = False, **options) -> None:
        unified = connections["default"].get_unified_index()
        problems = 0
        for model in unified.get_indexed_models():
            index = unified.get_index(model)
            label = model._meta.label_lower
            expected = set(index.index_queryset().values_list("pk", flat=True))
            indexed = {int(str(i).rsplit(".", 1)[-1]) for i in self._indexed_ids(model)}
            missing, extra = expected - indexed, indexed - expected
            problems += len(missing) + len(extra)
            self.stdout.write(
                f"{label}: indexed {len(indexed)}, missing: {len(missing)}, extra: {len(extra)}"
            )
            if repair:
                for pk in sorted(missing | extra):
                    # The same task as every other index write: one code path.
                    search_index_update.call(model=label, pk=pk)
        if problems and not repair:
            self.stdout.write(self.style.WARNING(f"{problems} difference(s); run with --repair."))
        elif problems:
            self.stdout.write(self.style.SUCCESS(f"Repaired {problems} difference(s)."))
        else:
            self.stdout.write(self.style.SUCCESS("Index matches the database."))

    def _indexed_ids(self, model) -> list[str]:
        return [r.id for r in SearchQuerySet().models(model).all()[:1_000_000]]

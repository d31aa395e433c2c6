from django.db import migrations, models
from django.db.models import F

BATCH = 5000


def backfill_acknowledged_at(apps, schema_editor):
    """Tickets opened so far were acknowledged in the request that opened them."""
    Ticket = apps.get_model("tickets", "Ticket")
    db = schema_editor.connection.alias
    tickets = Ticket.objects.using(db)
    last = tickets.order_by("-pk").values_list("pk", flat=True).first() or 0
    for start in range(0, last, BATCH):
        tickets.filter(
            pk__gt=start,
            pk__lte=start + BATCH,
            held_for_confirmation=False,
            acknowledged_at__isnull=True,
        ).update(acknowledged_at=F("created_at"))


class Migration(migrations.Migration):
    # Each batch commits on its own: no long transaction over the ticket table.
    atomic = False

    dependencies = [
        ("tickets", "0004_add_ticket_created_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
        ),
        migrations.RunPython(backfill_acknowledged_at, migrations.RunPython.noop),
    ]

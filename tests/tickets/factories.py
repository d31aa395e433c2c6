import datetime
import io

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.factories import StaffFactory, UserFactory
from tickets.models import CannedReply, Message, Shift, SLAPolicy, Team, Ticket

BTC_TXID = "a" * 64
EVM_TXID = "0x" + "b" * 64


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"team-{n}")
    name = factory.LazyAttribute(lambda o: o.slug.replace("-", " ").title())


class TicketFactory(factory.django.DjangoModelFactory):
    """A ticket as the database holds it; services are not run."""

    class Meta:
        model = Ticket

    requester = factory.SubFactory(UserFactory)
    subject = factory.Sequence(lambda n: f"Deposit not arrived {n}")
    language = "en"
    category = Ticket.Category.OTHER


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    ticket = factory.SubFactory(TicketFactory)
    author = factory.LazyAttribute(lambda o: o.ticket.requester)
    body = "Hello"


class ShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shift

    agent = factory.SubFactory(StaffFactory)
    team = factory.SubFactory(TeamFactory)
    start = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    end = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(hours=7))
    languages = factory.LazyFunction(lambda: ["en"])
    capacity = 10


class SLAPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SLAPolicy
        django_get_or_create = ("priority",)

    priority = Ticket.Priority.NORMAL
    first_response_minutes = 60
    next_response_minutes = 120
    resolution_minutes = 24 * 60


class CannedReplyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CannedReply

    title = factory.Sequence(lambda n: f"Reply {n}")
    language = "en"
    body = "Hi {name}, about {reference}: we are on it. {agent}"


def png_bytes(size: tuple[int, int] = (8, 8), exif: bytes | None = None) -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", size, (200, 10, 10))
    image.save(out, format="PNG", **({"exif": exif} if exif else {}))
    return out.getvalue()


def jpeg_with_exif() -> bytes:
    out = io.BytesIO()
    image = Image.new("RGB", (8, 8), (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "SecretCameraMaker"  # Make
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(name: str = "screenshot.png", content: bytes | None = None, content_type="image/png"):
    return SimpleUploadedFile(name, png_bytes() if content is None else content, content_type)


def deposit_intake(**overrides) -> dict:
    data = {
        "coin": "btc",
        "network": "BTC",
        "txid": BTC_TXID,
        "amount": "0.5",
        "address": "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
        "time": "2025-01-31T14:05:00Z",
    }
    data.update(overrides)
    return data

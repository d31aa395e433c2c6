import datetime
import uuid

import factory
from django.utils import timezone

from knowledge.models import Announcement, Article, Category, FaqEntry, GlossaryTerm


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    slug = factory.Sequence(lambda n: f"category-{n}")
    names = factory.LazyAttribute(lambda o: {"en": o.slug.title(), "zh-hans": f"分类{o.slug}"})
    icon = "💱"


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    category = factory.SubFactory(CategoryFactory)
    language = "en"
    translation_group = factory.LazyFunction(uuid.uuid4)
    title = factory.Sequence(lambda n: f"Help article {n}")
    slug = factory.Sequence(lambda n: f"help-article-{n}")
    summary = "A short summary."
    body = "## First steps\n\nSome helpful text."
    status = Article.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=Article.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1)),
        )


class FaqEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FaqEntry

    category = factory.SubFactory(CategoryFactory)
    language = "en"
    question = factory.Sequence(lambda n: f"Question {n}?")
    answer = "An answer."


class GlossaryTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GlossaryTerm

    language = "en"
    term = factory.Sequence(lambda n: f"Term{n}")
    slug = factory.Sequence(lambda n: f"term-{n}")
    definition = "A definition."


class AnnouncementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Announcement

    kind = Announcement.Kind.SECURITY
    language = "en"
    title = "Beware of fake support accounts on Telegram"
    body = "We never DM you first."
    starts_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    ends_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))

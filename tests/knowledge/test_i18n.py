"""Help-centre pages in Simplified Chinese: the knowledge catalogue is compiled and wired.

Needs knowledge/locale/zh_Hans/LC_MESSAGES/django.mo (`manage.py compiletranslations`).
"""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from tests.factories import UserFactory

from .factories import ArticleFactory, CategoryFactory, FaqEntryFactory, GlossaryTermFactory

pytestmark = pytest.mark.django_db(transaction=True)

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-Hans"}


def _zh(text: str) -> str:
    with translation.override("zh-hans"):
        translated = gettext(text)
    assert translated != text, f"no zh_Hans translation for {text!r}: is the catalogue compiled?"
    return translated


def _page(client, url: str, params: dict | None = None) -> str:
    response = client.get(url, params or {}, **ZH)
    assert response.status_code == 200
    assert response["Content-Language"] == "zh-hans"
    return response.content.decode()


def test_faq_page_heading_is_chinese(client):
    FaqEntryFactory(language="zh-hans", question="充币需要多少个确认？")  # noqa: RUF001
    body = _page(client, reverse("knowledge:faq"))
    assert "<h1>常见问题</h1>" in body
    assert "Frequently asked questions" not in body


def test_article_page_interface_is_chinese(client):
    article = ArticleFactory(published=True, language="zh-hans", title="充币未到账", slug="cb")
    body = _page(client, article.get_absolute_url())
    for text in ("Was this helpful?", "On this page", "Last updated", "Still need help?"):
        assert _zh(text) in body
        assert text not in body


def test_english_fallback_article_explains_itself_in_chinese(client):
    article = ArticleFactory(published=True, title="Only in English")
    body = _page(client, article.get_absolute_url())
    notice = "This article is not available in your language yet, so it is shown in English."
    assert _zh(notice) in body
    assert "Only in English" in body  # the content itself stays English


def test_category_and_glossary_pages_are_chinese(client):
    category = CategoryFactory()
    term = GlossaryTermFactory(language="zh-hans", term="助记词", slug="seed")
    assert _zh("No articles in this category yet.") in _page(client, category.get_absolute_url())
    assert _zh("Glossary") in _page(client, reverse("knowledge:glossary"))
    assert _zh("Glossary") in _page(client, term.get_absolute_url())


def test_search_page_without_hits_is_chinese(client):
    body = _page(client, reverse("knowledge:search"), {"q": "qwzxqq"})
    assert _zh("Search the help centre") in body
    assert "暂未找到与“qwzxqq”相关的内容。" in body
    assert "Nothing matches" not in body


def test_search_did_you_mean_is_one_chinese_sentence(client):
    ArticleFactory(published=True, language="zh-hans", title="确认", body="confirmation " * 3)
    body = _page(client, reverse("knowledge:search"), {"q": "confirmaton"})
    assert '您是不是要找 <a href="?q=confirmation">confirmation</a>？' in body  # noqa: RUF001


def test_admin_changelist_is_chinese_for_a_chinese_editor(client):
    user = UserFactory(is_staff=True, is_superuser=True, preferred_language="zh-hans")
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "type": "totp", "at": 0}]
    session.save()
    ArticleFactory(published=True)
    body = client.get(reverse("admin:knowledge_article_changelist")).content.decode()
    assert _zh("Publish now") in body
    assert _zh("review by") in body
    assert "复审截止日期" in body

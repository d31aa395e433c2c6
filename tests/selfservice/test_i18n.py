"""Self-service in Simplified Chinese: pages render translated, the catalogue is complete."""

from pathlib import Path

import pytest
from django.urls import reverse

from selfservice import demo
from tests.factories import UserFactory

from .factories import AnswerFactory, StepFactory, TreeFactory, official_registry

pytestmark = pytest.mark.django_db

CATALOGUE = Path(demo.__file__).parent / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_hub_renders_in_chinese_for_a_chinese_speaking_user(client):
    client.force_login(UserFactory(preferred_language="zh-hans"))
    response = client.get(reverse("selfservice:hub"))
    content = response.content.decode()
    assert response["Content-Language"] == "zh-hans"
    assert "自助工具" in content and "官方渠道验证" in content


def test_verifier_answers_in_chinese(client, settings):
    official_registry()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    response = client.get(reverse("selfservice:verify-channel"), {"value": "exampel-exchange.com"})
    content = response.content.decode()
    assert "非官方渠道——很可能是钓鱼" in content
    assert "请勿通过它登录、转账或提供验证码。" in content


def test_troubleshooter_is_shown_in_the_customers_language(client, settings):
    for language, title in (("en", "My deposit has not arrived"), ("zh-hans", "我的充币没有到账")):
        tree = TreeFactory(
            slug="deposit", translation_key="deposit", language=language, title=title
        )
        AnswerFactory(step=StepFactory(tree=tree), article_slug="how-to-find-txid")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse("selfservice:troubleshooter-detail", kwargs={"slug": "deposit"})
    content = client.get(url, follow=True).content.decode()
    assert "我的充币没有到账" in content and "重新开始" in content


def test_every_message_has_a_chinese_translation():
    blocks = CATALOGUE.read_text(encoding="utf-8").split("\n\n")[1:]  # skip the header
    untranslated = [
        block
        for block in blocks
        if 'msgstr ""' in block.splitlines()[-1] or 'msgstr[0] ""' in block.splitlines()[-1]
    ]
    assert blocks and not untranslated

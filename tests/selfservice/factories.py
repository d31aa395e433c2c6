import factory

from selfservice.models import Answer, ChainNetwork, OfficialChannel, Step, Tree


class ChainNetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChainNetwork
        django_get_or_create = ("code",)

    code = "ETH"
    name = "Ethereum (ERC-20)"
    coins = "ETH,USDT,USDC"
    txid_format = ChainNetwork.TxidFormat.EVM
    required_confirmations = 64
    block_time_seconds = 12
    provider = ChainNetwork.Provider.NONE


class OfficialChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficialChannel
        django_get_or_create = ("kind", "value")

    kind = OfficialChannel.Kind.WEBSITE
    value = "https://www.example-exchange.com"


def official_registry() -> None:
    """The demo's registry: website, support e-mail, Telegram and X handles, a phone line."""
    OfficialChannelFactory(kind="website", value="https://www.example-exchange.com")
    OfficialChannelFactory(kind="email", value="support@example-exchange.com")
    OfficialChannelFactory(kind="telegram", value="@ExampleExchange")
    OfficialChannelFactory(kind="x", value="@ExampleExchange")
    OfficialChannelFactory(kind="phone", value="+1 (415) 555-0100")


class TreeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tree

    slug = factory.Sequence(lambda n: f"tree-{n}")
    language = "en"
    translation_key = factory.SelfAttribute("slug")
    title = factory.Sequence(lambda n: f"Troubleshooter {n}")


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step

    tree = factory.SubFactory(TreeFactory)
    position = factory.Sequence(lambda n: n)
    question = factory.Sequence(lambda n: f"Question {n}?")


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    step = factory.SubFactory(StepFactory)
    label = factory.Sequence(lambda n: f"Answer {n}")

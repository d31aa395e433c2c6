import factory

from selfservice.models import ChainNetwork


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

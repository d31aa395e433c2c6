# ruff: noqa: RUF001 (Chinese text uses full-width punctuation on purpose)
"""The demo's three guided troubleshooters, in English and Simplified Chinese.

Each answer leads to exactly one of: ``next`` (a step key), ``article`` (a
knowledge-base slug), ``tool`` (a URL name) or ``ticket`` (a category, with
optional pre-fill ``params``). The balance tree follows the HTX "balance looks
wrong" flow: accounts, open orders, pending deposits, Earn, conversions, ticket.
"""

from typing import Any

TREES: list[dict[str, Any]] = [
    {
        "key": "deposit-not-arrived",
        "slug": "deposit-not-arrived",
        "position": 1,
        "en": ("My deposit has not arrived", "Find out where your deposit is and what to do."),
        "zh-hans": ("我的充币没有到账", "查明您的充币在哪里，以及下一步该怎么做。"),
        "steps": [
            {
                "key": "txid",
                "en": (
                    "Do you have the transaction ID (TXID) of the deposit?",
                    "The platform or wallet you sent from shows it in the withdrawal details.",
                ),
                "zh-hans": (
                    "您有这笔充币的交易哈希（TXID）吗？",
                    "您转出资金的平台或钱包会在提币详情中显示它。",
                ),
                "answers": [
                    {"en": "Yes, I have it", "zh-hans": "有", "next": "network"},
                    {
                        "en": "No, I cannot find it",
                        "zh-hans": "没有，我找不到",
                        "article": "how-to-find-txid",
                    },
                ],
            },
            {
                "key": "network",
                "en": (
                    "Did you send it on the network shown on our deposit page, "
                    "with the memo/tag if one was required?",
                    "Each coin can travel on several networks; the address and network must match.",
                ),
                "zh-hans": (
                    "您是否使用了充币页面上显示的网络，并在需要时填写了 Memo/标签？",
                    "同一币种可以走多个网络，地址和网络必须一致。",
                ),
                "answers": [
                    {"en": "Yes", "zh-hans": "是的", "next": "trace"},
                    {
                        "en": "I used a different network",
                        "zh-hans": "我用了其他网络",
                        "article": "wrong-network-deposit",
                    },
                    {
                        "en": "I forgot the memo/tag",
                        "zh-hans": "我忘了填写 Memo/标签",
                        "article": "missing-memo-or-tag",
                    },
                ],
            },
            {
                "key": "trace",
                "en": (
                    "What does the deposit tracer say about your TXID?",
                    "The tracer shows the confirmations on the blockchain and whether "
                    "deposits on the network are paused.",
                ),
                "zh-hans": (
                    "充币追踪工具对您的 TXID 显示什么结果？",
                    "追踪工具会显示区块链上的确认数，以及该网络的充币是否暂停。",
                ),
                "answers": [
                    {
                        "en": "I have not checked yet",
                        "zh-hans": "我还没有查询",
                        "tool": "selfservice:deposit-trace",
                    },
                    {
                        "en": "Still waiting for confirmations",
                        "zh-hans": "仍在等待确认",
                        "next": "wait",
                    },
                    {
                        "en": "Confirmed, but not credited",
                        "zh-hans": "已确认，但未到账",
                        "ticket": "deposit",
                    },
                ],
            },
            {
                "key": "wait",
                "en": (
                    "Has it been more than two hours since the required confirmations "
                    "were reached?",
                    "Deposits are credited automatically once the network confirms them.",
                ),
                "zh-hans": (
                    "达到所需确认数后是否已超过两小时？",
                    "网络确认完成后，充币会自动到账。",
                ),
                "answers": [
                    {"en": "Yes", "zh-hans": "是的", "ticket": "deposit"},
                    {
                        "en": "No, I will wait",
                        "zh-hans": "没有，我再等等",
                        "article": "deposit-not-arrived",
                    },
                ],
            },
        ],
    },
    {
        "key": "balance-looks-wrong",
        "slug": "balance-looks-wrong",
        "position": 2,
        "en": ("My balance looks wrong", "Check the usual reasons before you open a ticket."),
        "zh-hans": ("我的余额显示异常", "在提交工单之前，先排查常见原因。"),
        "steps": [
            {
                "key": "accounts",
                "en": (
                    "Have you checked your funding and trading accounts?",
                    "Funding, spot and futures accounts are separate. A transfer moves "
                    "funds between them; the total on the assets page includes all of them.",
                ),
                "zh-hans": (
                    "您是否查看了资金账户和交易账户？",
                    "资金账户、现货账户和合约账户是分开的。划转会在账户之间移动资金；"
                    "资产页面的总额包含所有账户。",
                ),
                "answers": [
                    {
                        "en": "Yes, the total is still wrong",
                        "zh-hans": "查看了，总额仍然不对",
                        "next": "orders",
                    },
                    {
                        "en": "The funds are in another account",
                        "zh-hans": "资金在另一个账户里",
                        "article": "transfer-between-accounts",
                    },
                ],
            },
            {
                "key": "orders",
                "en": (
                    "Do you have open orders?",
                    "Funds in open orders are frozen until the order fills or you cancel it.",
                ),
                "zh-hans": (
                    "您有未成交的挂单吗？",
                    "挂单中的资金会被冻结，直到订单成交或您撤单。",
                ),
                "answers": [
                    {"en": "No open orders", "zh-hans": "没有挂单", "next": "pending"},
                    {
                        "en": "Yes, funds are frozen in orders",
                        "zh-hans": "有，资金被挂单冻结",
                        "article": "limit-vs-market-orders",
                    },
                ],
            },
            {
                "key": "pending",
                "en": (
                    "Is a deposit still pending?",
                    "A deposit counts in your balance only after enough confirmations.",
                ),
                "zh-hans": (
                    "是否有充币仍在处理中？",
                    "充币只有在达到足够的确认数后才会计入余额。",
                ),
                "answers": [
                    {"en": "No", "zh-hans": "没有", "next": "earn"},
                    {
                        "en": "Yes, check it",
                        "zh-hans": "有，去查询",
                        "tool": "selfservice:deposit-trace",
                    },
                ],
            },
            {
                "key": "earn",
                "en": (
                    "Did you subscribe to Earn or staking?",
                    "Subscribed funds leave your spot balance until you redeem them.",
                ),
                "zh-hans": (
                    "您是否申购了理财或质押产品？",
                    "申购的资金会从现货余额中移出，直到您赎回。",
                ),
                "answers": [
                    {"en": "No", "zh-hans": "没有", "next": "conversions"},
                    {
                        "en": "Yes, that explains it",
                        "zh-hans": "是的，这就解释了",
                        "article": "balance-looks-wrong",
                    },
                ],
            },
            {
                "key": "conversions",
                "en": (
                    "Did you convert or trade recently?",
                    "Check your order and conversion history (including small-balance "
                    "conversion) around the time the balance changed.",
                ),
                "zh-hans": (
                    "您最近是否进行过闪兑或交易？",
                    "请查看余额变化前后的订单记录和兑换记录（包括小额资产兑换）。",
                ),
                "answers": [
                    {
                        "en": "No, I cannot explain the difference",
                        "zh-hans": "没有，我无法解释差额",
                        "ticket": "balance",
                    },
                    {
                        "en": "Yes, that explains it",
                        "zh-hans": "是的，这就解释了",
                        "article": "balance-looks-wrong",
                    },
                ],
            },
        ],
    },
    {
        "key": "cannot-log-in",
        "slug": "cannot-log-in",
        "position": 3,
        "en": (
            "I can't log in / I think my account was stolen",
            "Secure your account first, then get back in.",
        ),
        "zh-hans": ("无法登录 / 我的账户可能被盗", "先保护账户安全，再恢复登录。"),
        "steps": [
            {
                "key": "stolen",
                "en": (
                    "Do you think someone else has access to your account?",
                    "Signs: sign-ins you do not recognise, withdrawals you did not make, "
                    "or a changed e-mail, password or 2FA.",
                ),
                "zh-hans": (
                    "您是否认为有他人能访问您的账户？",
                    "迹象包括：陌生的登录记录、非本人操作的提币，或邮箱、密码、双重验证被更改。",
                ),
                "answers": [
                    {"en": "Yes", "zh-hans": "是的", "next": "freeze"},
                    {
                        "en": "No, I just cannot log in",
                        "zh-hans": "没有，只是无法登录",
                        "next": "why",
                    },
                ],
            },
            {
                "key": "freeze",
                "en": (
                    "Freeze your account now. Can you still sign in?",
                    "A freeze stops withdrawals and signs out every session at once.",
                ),
                "zh-hans": (
                    "请立即冻结账户。您现在还能登录吗？",
                    "冻结会立即停止提币，并退出所有会话。",
                ),
                "answers": [
                    {
                        "en": "Yes, freeze it now",
                        "zh-hans": "能，立即冻结",
                        "tool": "selfservice:freeze",
                    },
                    {
                        "en": "No, my password or e-mail was changed",
                        "zh-hans": "不能，密码或邮箱已被更改",
                        "tool": "selfservice:freeze-request",
                    },
                    {
                        "en": "It is frozen; report what happened",
                        "zh-hans": "已冻结，报告发生的情况",
                        "ticket": "account_compromised",
                    },
                ],
            },
            {
                "key": "why",
                "en": ("What stops you from logging in?", ""),
                "zh-hans": ("是什么原因导致您无法登录？", ""),
                "answers": [
                    {
                        "en": "I forgot my password",
                        "zh-hans": "我忘记了密码",
                        "tool": "account_reset_password",
                    },
                    {
                        "en": "I lost my 2FA device",
                        "zh-hans": "我丢失了双重验证设备",
                        "article": "reset-2fa",
                    },
                    {
                        "en": "Something looks wrong with my account",
                        "zh-hans": "我的账户看起来不对劲",
                        "ticket": "account_compromised",
                    },
                ],
            },
        ],
    },
]

from haystack import indexes

from .backend import KEYWORD_FIELD_TYPE, PREFIX_FIELD_TYPE


class KeywordField(indexes.CharField):
    """Stored verbatim and matched exactly (a language code, a type)."""

    field_type = KEYWORD_FIELD_TYPE


class PrefixField(indexes.CharField):
    """Matched by what a user has typed so far (see PrefixTokenizer)."""

    field_type = PREFIX_FIELD_TYPE

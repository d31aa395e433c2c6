"""`{% console_result_list cl %}`: Django's `{% result_list cl %}`, rows compiled once per page."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from support_portal.admin_list import result_list

register = template.Library()


@register.tag(name="console_result_list")
def console_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )

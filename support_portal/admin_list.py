"""A changelist's rows as Django admin renders them, with the per-column work done once.

Django's `items_for_result` works out, for every cell of every row, which field
the column is, its choices, its CSS classes, whether it links, and resolves the
change URL plus the preserved filters (a URL parse and a `resolve()` each). On
the ticket console that was 50 rows by 11 columns and most of the page's time.
Here each column is compiled once per page into a small function; the output is
the same markup, which tests/test_admin_list.py compares with
Django's own for every kind of column the consoles use.

Changelists this does not cover (list_editable, popups, a `to_field`) are left to
Django, as are columns of a kind it does not know, one cell at a time.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.admin.options import ModelAdmin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (  # type: ignore[attr-defined]
    FieldIsAForeignKeyColumnName,
    _get_non_gfk_field,  # how lookup_field finds a column's field
    display_for_value,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

Cell = Callable[[models.Model], SafeString]

# Stands in for the primary key while the change URL (and its preserved filters)
# is worked out once; digits pass through both admin quoting and reverse() as is.
_PK_MARKER = "9" * 24


def result_list(cl: ChangeList) -> dict[str, Any]:
    """The context of Django's `result_list` tag, with the rows compiled."""
    if cl.formset is not None or cl.is_popup or cl.to_field:
        return admin_list.result_list(cl)
    headers = list(admin_list.result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": [],
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(results(cl)),
    }


def results(cl: ChangeList) -> Iterator[admin_list.ResultList]:
    # Each row's cells come joined, as one item: change_list_results.html prints
    # a row's items one after another, so the page is the same, and the template
    # loop runs once a row rather than once a cell.
    cells = _compile(cl)
    for obj in cl.result_list:
        row = "".join([cell(obj) for cell in cells])
        yield admin_list.ResultList(None, [mark_safe(row)])  # noqa: S308  (safe cells)


def _compile(cl: ChangeList) -> list[Cell]:
    cells = []
    first = True
    for index, name in enumerate(cl.list_display):
        link = cl.list_display_links is not None and (
            (first and not cl.list_display_links) or name in cl.list_display_links
        )
        cell = _compile_column(cl, name, index, link=link, tag="th" if link and first else "td")
        if link:
            first = False
        cells.append(cell or _django_cell(cl, index))
    return cells


def _compile_column(cl: ChangeList, name: Any, index: int, *, link: bool, tag: str) -> Cell | None:
    """A cell function for the kinds of column the consoles use; None for others."""
    model_admin = cl.model_admin
    empty = model_admin.get_empty_value_display()
    if not isinstance(name, str):  # a callable in list_display
        return None
    css = f"field-{name}"
    try:
        field = _get_non_gfk_field(cl.lookup_opts, name)
    except (FieldDoesNotExist, FieldIsAForeignKeyColumnName):
        field = None

    if field is None and name == "action_checkbox" and _is_djangos_checkbox(model_admin):
        return _checkbox_cell()
    if field is None:
        attr = getattr(model_admin, name, None)
        if name == "__str__" or attr is None or not callable(attr):
            return None
        if name == "action_checkbox":
            css = "action-checkbox"
        empty = getattr(attr, "empty_value_display", empty)
        boolean = getattr(attr, "boolean", False)

        def render(obj: models.Model) -> Any:
            value = attr(obj)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            if isinstance(value, (datetime.date, datetime.time)):
                return None  # takes the `nowrap` class: leave it to Django
            return display_for_value(value, empty, boolean)

    elif field.auto_created:
        return None
    elif isinstance(field.remote_field, models.ManyToOneRel):
        css += " nowrap"
        related = field.name

        def render(obj: models.Model) -> Any:
            value = getattr(obj, related)
            return empty if value is None else value

    elif field.flatchoices:
        try:
            labels = {value: conditional_escape(label) for value, label in field.flatchoices}
        except TypeError:  # unhashable choices: Django copes, cell by cell
            return None
        empty_escaped = conditional_escape(empty)
        attname = field.attname

        def render(obj: models.Model) -> Any:
            value = getattr(obj, attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            try:
                return labels.get(value, empty_escaped)
            except TypeError:  # an unhashable value: Django's lookup makes it hashable
                return None

    elif isinstance(field, (models.CharField, models.TextField)) and not isinstance(
        field, models.URLField
    ):
        attname = field.attname
        empty_values = field.empty_values

        def render(obj: models.Model) -> Any:
            value = getattr(obj, attname)
            if isinstance(value, str) and value.strip() == "":
                value = ""
            return empty if value in empty_values else display_for_value(value, empty)

    else:
        return None

    open_tag = format_html('<{} class="{}">', tag, css)
    close_tag = format_html("</{}>", tag)
    fallback = _django_cell(cl, index)
    if link:
        href = _link_template(cl)
        if href is None:
            return fallback
        head, tail = href

        def wrap(obj: models.Model, content: str) -> str:
            return f'<a href="{head}{obj.pk:d}{tail}">{content}</a>'

    else:

        def wrap(obj: models.Model, content: str) -> str:
            return content

    def cell(obj: models.Model) -> SafeString:
        try:
            content = render(obj)
        except ObjectDoesNotExist:
            content = None
        if content is None:
            return fallback(obj)
        # Every piece is escaped already: the tags and URL above, the content here.
        inner = wrap(obj, conditional_escape(content))
        return mark_safe(f"{open_tag}{inner}{close_tag}")  # noqa: S308

    return cell


def _is_djangos_checkbox(model_admin: Any) -> bool:
    return getattr(type(model_admin), "action_checkbox", None) is ModelAdmin.action_checkbox


def _checkbox_cell() -> Cell:
    """ModelAdmin.action_checkbox's markup, without a widget template render per row."""
    label = gettext("Select this object for an action - {}")

    def cell(obj: models.Model) -> SafeString:
        return format_html(
            '<td class="action-checkbox"><input type="checkbox" name="{}" value="{}" '
            'class="action-select" aria-label="{}"></td>',
            ACTION_CHECKBOX_NAME,
            obj.pk,
            format_html(label, obj),
        )

    return cell


def _link_template(cl: ChangeList) -> tuple[str, str] | None:
    """The escaped change URL split around the primary key, for integer keys."""
    if not isinstance(cl.lookup_opts.pk, (models.AutoField, models.IntegerField)):
        return None
    try:
        url = reverse(
            f"admin:{cl.opts.app_label}_{cl.opts.model_name}_change",
            args=(_PK_MARKER,),
            current_app=cl.model_admin.admin_site.name,
        )
    except NoReverseMatch:
        return None
    url = add_preserved_filters({"preserved_filters": cl.preserved_filters, "opts": cl.opts}, url)
    head, marker, tail = url.partition(_PK_MARKER)
    if not marker:
        return None
    return conditional_escape(head), conditional_escape(tail)


def _django_cell(cl: ChangeList, index: int) -> Cell:
    """Django's own rendering of one column, for what is not compiled here."""

    def cell(obj: models.Model) -> SafeString:
        for i, item in enumerate(admin_list.items_for_result(cl, obj, None)):
            if i == index:
                return item
        raise IndexError(index)

    return cell


class DeferredJoinPaginator(Paginator):
    """Pages found by key first, then joined: deep pages stop paying for the rows they skip.

    `OFFSET n` makes the database build (join, decode) and throw away n whole
    rows; here the page's keys come from a query that reads only the ordering
    index, and the joined rows are fetched for those keys alone. Same rows, same
    order. The first page gains nothing from it, and keeps the plain query.
    """

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom == 0 or not isinstance(self.object_list, QuerySet):
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = self.object_list.values_list("pk", flat=True)[bottom:top]
        return Page(self.object_list.filter(pk__in=keys), number, self)

"""Staff roles: what each group may open in the console and whether it may publish."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from knowledge.models import Article
from knowledge.services import article_publish
from support_portal.accounts.roles import Role
from support_portal.accounts.services import user_grant_role, user_revoke_role
from tests.accounts.helpers import enable_totp
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

TICKETS = reverse("admin:tickets_ticket_changelist")
ARTICLES = reverse("admin:knowledge_article_changelist")
USERS = reverse("admin:accounts_user_changelist")

CUSTOMER = "customer"
ROLES = [Role.AGENT, Role.EDITOR, Role.SENIOR_AGENT, CUSTOMER]


def _person(role):
    return UserFactory() if role == CUSTOMER else StaffFactory(role=role)


@pytest.fixture
def console(client, settings):
    """A client signed in without the TOTP stage (that is tested elsewhere)."""
    settings.STAFF_MFA_REQUIRED = False

    def sign_in(role):
        client.force_login(_person(role))
        return client

    return sign_in


@pytest.mark.parametrize(
    ("role", "url", "status"),
    [
        (Role.AGENT, TICKETS, 200),
        (Role.AGENT, ARTICLES, 200),
        (Role.AGENT, USERS, 200),
        (Role.EDITOR, TICKETS, 403),
        (Role.EDITOR, ARTICLES, 200),
        (Role.EDITOR, USERS, 403),
        (Role.SENIOR_AGENT, TICKETS, 200),
        (Role.SENIOR_AGENT, ARTICLES, 200),
        (Role.SENIOR_AGENT, USERS, 200),
    ],
)
def test_staff_role_decides_which_console_pages_open(console, role, url, status):
    response = console(role).get(url)

    assert response.status_code == status


@pytest.mark.parametrize("url", [TICKETS, ARTICLES, USERS])
def test_customer_gets_403_on_every_console_page(console, url):
    response = console(CUSTOMER).get(url, follow=True)

    assert response.status_code == 403


def _action_names(response) -> set[str]:
    action_form = response.context.get("action_form")
    if action_form is None:
        return set()
    return {name for name, _label in action_form.fields["action"].choices if name}


@pytest.mark.parametrize(
    ("role", "can_publish"),
    [(Role.AGENT, False), (Role.EDITOR, True), (Role.SENIOR_AGENT, True)],
)
def test_publish_action_is_offered_only_to_publishers(console, role, can_publish):
    response = console(role).get(ARTICLES)

    assert response.status_code == 200
    assert ("publish" in _action_names(response)) is can_publish


@pytest.mark.parametrize(
    ("role", "can_publish"),
    [(Role.AGENT, False), (Role.EDITOR, True), (Role.SENIOR_AGENT, True), (CUSTOMER, False)],
)
def test_publish_permission_follows_the_role(role, can_publish):
    assert _person(role).has_perm("knowledge.publish_article") is can_publish


@pytest.mark.parametrize("role", [Role.AGENT, CUSTOMER])
def test_article_publish_refuses_non_publishers(role):
    article = Article(title="Deposit not credited", slug="deposit-not-credited", body="…")

    with pytest.raises(PermissionDenied):
        article_publish(article=article, by=_person(role))

    assert article.pk is None
    assert article.status == Article.Status.DRAFT


def test_staff_with_totp_reach_their_pages_when_mfa_is_required(client, settings):
    settings.STAFF_MFA_REQUIRED = True
    editor = StaffFactory(role=Role.EDITOR)
    enable_totp(editor)
    client.force_login(editor)

    assert client.get(ARTICLES).status_code == 200
    assert client.get(TICKETS).status_code == 403


def test_role_groups_hold_the_documented_permissions():
    def perms(role: Role) -> set[str]:
        group = Group.objects.get(name=role.value)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}

    agent, editor, senior = perms(Role.AGENT), perms(Role.EDITOR), perms(Role.SENIOR_AGENT)
    assert "tickets.change_ticket" in agent
    assert "knowledge.publish_article" not in agent
    assert "knowledge.publish_article" in editor
    assert not {p for p in editor if p.startswith("tickets.")}
    assert "accounts.view_user" not in editor
    assert agent | editor <= senior
    # Records that carry history are never deleted by a role; a senior agent
    # may retire set-up rows (teams, SLA policies, canned replies, rules, shifts).
    setup = {"team", "slapolicy", "cannedreply", "priorityrule", "shift"}
    deletable = {p.split(".delete_")[1] for p in agent | editor | senior if ".delete_" in p}
    assert deletable <= setup
    assert not {p for p in agent | editor if ".delete_" in p}


def test_grant_role_makes_a_customer_staff():
    user = UserFactory()

    user_grant_role(user=user, role=Role.AGENT)

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [Role.AGENT.value]


def test_grant_role_twice_is_harmless():
    user = UserFactory()

    user_grant_role(user=user, role=Role.EDITOR)
    user_grant_role(user=user, role=Role.EDITOR)

    assert user.groups.count() == 1


def test_grant_role_fails_cleanly_when_the_group_is_missing():
    Group.objects.filter(name=Role.EDITOR.value).delete()
    user = UserFactory()

    with pytest.raises(Group.DoesNotExist):
        user_grant_role(user=user, role=Role.EDITOR)

    user.refresh_from_db()
    assert not user.is_staff


def test_revoking_the_last_role_ends_staff_status():
    agent = StaffFactory(role=Role.AGENT)

    user_revoke_role(user=agent, role=Role.AGENT)

    agent.refresh_from_db()
    assert not agent.is_staff
    assert not agent.groups.exists()


def test_revoking_one_of_two_roles_keeps_staff_status():
    user = StaffFactory(role=Role.AGENT)
    user_grant_role(user=user, role=Role.EDITOR)

    user_revoke_role(user=user, role=Role.AGENT)

    user.refresh_from_db()
    assert user.is_staff
    assert list(user.groups.values_list("name", flat=True)) == [Role.EDITOR.value]


def test_revoking_a_role_keeps_a_superuser_staff():
    user = StaffFactory(role=Role.SENIOR_AGENT, is_superuser=True)

    user_revoke_role(user=user, role=Role.SENIOR_AGENT)

    user.refresh_from_db()
    assert user.is_staff


def test_revoking_a_role_the_user_lacks_changes_nothing():
    editor = StaffFactory(role=Role.EDITOR)

    user_revoke_role(user=editor, role=Role.AGENT)

    editor.refresh_from_db()
    assert editor.is_staff
    assert list(editor.groups.values_list("name", flat=True)) == [Role.EDITOR.value]


def test_revoked_agent_loses_the_console(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    agent = StaffFactory(role=Role.AGENT)
    user_revoke_role(user=agent, role=Role.AGENT)
    client.force_login(agent)

    assert client.get(TICKETS, follow=True).status_code == 403

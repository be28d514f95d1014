"""The directory API: departments and people for every signed-in employee."""

import pytest
from rest_framework.test import APIClient

from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    client = APIClient()
    client.force_authenticate(UserFactory())
    return client


@pytest.fixture
def tree():
    group = DepartmentFactory(code="group", name="Group")
    eng = DepartmentFactory(code="eng", name="Engineering", parent=group)
    apps = DepartmentFactory(code="apps", name="Apps", parent=eng)
    return group, eng, apps


def _names(response):
    return [r["display_name"] for r in response.json()["results"]]


def test_departments_list_with_their_place_in_the_tree(api, tree):
    group, eng, apps = tree
    found = {d["code"]: d for d in api.get("/api/v1/departments/").json()["results"]}
    assert found["apps"]["parent"] == eng.pk and found["group"]["parent"] is None
    assert [p["code"] for p in found["apps"]["path"]] == ["group", "eng", "apps"]
    assert found["apps"]["depth"] == 2 and found["group"]["depth"] == 0


def test_departments_search_by_name_or_code_and_filter_by_parent(api, tree):
    group, eng, apps = tree
    by_name = api.get("/api/v1/departments/", {"search": "engin"}).json()
    assert [d["id"] for d in by_name["results"]] == [eng.pk]
    by_code = api.get("/api/v1/departments/", {"search": "apps"}).json()
    assert [d["id"] for d in by_code["results"]] == [apps.pk]
    below = api.get("/api/v1/departments/", {"parent": eng.pk}).json()
    assert [d["id"] for d in below["results"]] == [apps.pk]
    top = api.get("/api/v1/departments/", {"top": "true"}).json()
    assert [d["id"] for d in top["results"]] == [group.pk]


def test_one_department(api, tree):
    body = api.get(f"/api/v1/departments/{tree[2].pk}/").json()
    assert body["name"] == "Apps" and body["parent"] == tree[1].pk


def test_people_show_directory_fields_and_no_private_ones(api, tree):
    boss = UserFactory(display_name="Boss")
    person = UserFactory(
        display_name="Ada",
        department=tree[2],
        manager=boss,
        is_mentor=True,
        time_zone="Asia/Shanghai",
    )
    body = api.get(f"/api/v1/people/{person.pk}/").json()
    assert body == {
        "id": person.pk,
        "display_name": "Ada",
        "email": person.email,
        "employee_number": person.employee_number,
        "department": {"id": tree[2].pk, "code": "apps", "name": "Apps"},
        "manager": boss.pk,
        "roles": ["mentor"],
        "is_active": True,
    }


def test_people_search_by_name_e_mail_and_employee_number(api):
    UserFactory(display_name="Li Wei", email="wei@corp.example", employee_number="X7")
    UserFactory(display_name="Other")
    for term in ("li w", "wei@corp", "X7"):
        assert _names(api.get("/api/v1/people/", {"search": term})) == ["Li Wei"]


def test_people_filter_by_department_active_and_role(api, tree):
    inside = UserFactory(display_name="Inside", department=tree[1])
    UserFactory(display_name="Gone", department=tree[1], is_active=False)
    UserFactory(display_name="Judge", is_evaluator=True)
    listed = api.get("/api/v1/people/", {"department": tree[1].pk})
    assert _names(listed) == ["Gone", "Inside"]
    active = api.get("/api/v1/people/", {"department": tree[1].pk, "is_active": "true"})
    assert _names(active) == [inside.display_name]
    left = api.get("/api/v1/people/", {"is_active": "false"})
    assert _names(left) == ["Gone"]
    assert _names(api.get("/api/v1/people/", {"role": "evaluator"})) == ["Judge"]


@pytest.mark.parametrize(
    "query", [{"role": "king"}, {"department": "abc"}, {"parent": "0"}, {"page": "9"}]
)
def test_bad_filters_are_400(api, query):
    url = "/api/v1/departments/" if "parent" in query else "/api/v1/people/"
    response = api.get(url, query)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/departments/",
        "/api/v1/departments/1/",
        "/api/v1/people/",
        "/api/v1/people/1/",
    ],
)
def test_anonymous_is_401(url):
    assert APIClient().get(url).status_code == 401


def test_unknown_ids_are_404(api):
    assert api.get("/api/v1/departments/999999/").status_code == 404
    response = api.get("/api/v1/people/999999/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_me_and_users_give_the_department_id(api, tree):
    user = UserFactory(department=tree[1])
    api.force_authenticate(user)
    assert api.get("/api/auth/me/").json()["department_id"] == tree[1].pk
    found = api.get("/api/v1/users/", {"search": user.email}).json()["results"]
    assert found[0]["department_id"] == tree[1].pk


def test_an_integration_finds_the_department_and_records_an_adoption():
    """The headline outcome through the API alone: department and owner come
    from the directory, by code and employee number."""
    from tests.factories_realization import realization_world

    w = realization_world()
    DepartmentFactory(code="logistics", name="Cainiao Logistics")
    owner = UserFactory(employee_number="C42")
    client = APIClient()
    client.force_authenticate(w.hr)
    department = client.get("/api/v1/departments/", {"search": "logistics"}).json()
    person = client.get("/api/v1/people/", {"search": "C42"}).json()
    response = client.post(
        f"/api/v1/ideas/{w.idea.pk}/realization/outcomes/",
        {
            "kind": "adopted",
            "department": department["results"][0]["id"],
            "owner": person["results"][0]["id"],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["department_name"] == "Cainiao Logistics"
    assert response.json()["owner"] == owner.pk

"""``filter=`` on ``/scim/v2/Users``: the attributes a client may filter on.

A plain ``userName eq "…"`` (what Okta and Azure AD send before creating
someone) is answered with the ORM, case-insensitively as SCIM wants; any
other filter goes through scim2-filter-parser's SQL with this attribute map.
"""

import re

from django_scim.filters import UserFilterQuery as BaseUserFilterQuery

from horserace.accounts.models import User

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

_USERNAME_EQ = re.compile(r'^\s*userName\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.I)


def users():
    """Every person, with what their SCIM representation reads."""
    return User.objects.select_related("department", "manager").order_by("scim_id")


class UserFilterQuery(BaseUserFilterQuery):
    attr_map = {
        ("userName", None, None): "email",
        ("externalId", None, None): "scim_external_id",
        ("id", None, None): "scim_id",
        ("displayName", None, None): "display_name",
        ("name", "formatted", None): "display_name",
        ("active", None, None): "is_active",
        ("emails", "value", None): "email",
        ("emails", None, None): "email",
        ("employeeNumber", None, ENTERPRISE): "employee_number",
    }

    @classmethod
    def search(cls, filter_query, request=None):
        match = _USERNAME_EQ.match(filter_query or "")
        if match:
            email = match[1].replace('\\"', '"').replace("\\\\", "\\")
            return users().filter(email__iexact=email)
        return super().search(filter_query, request)

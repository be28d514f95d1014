"""SCIM 2.0 provisioning (django-scim2): Okta, Azure AD or Feishu push people.

``/scim/v2/Users`` creates, reads, lists (``filter=userName eq "…"``),
replaces and patches people; ``DELETE`` and ``active: false`` deactivate them
(``services.scim_deactivate``), never delete a row, so their ideas and
ballots stay. ``ServiceProviderConfig``, ``Schemas`` and ``ResourceTypes``
describe the service; Groups are not offered (departments come in on the
enterprise extension of each user).

``userName`` is the e-mail address; ``displayName`` (or ``name.formatted``)
the display name; the enterprise extension's ``employeeNumber``,
``department`` (a department's code or name, created when unknown) and
``manager.value`` (a person's SCIM id or employee number) fill the directory.

Callers authenticate with a bearer token (``Authorization: Bearer <token>``,
a knox token, ``manage.py scim_token``) of a provisioning account or an HR
admin: no token is a 401, any other person a 403. A session cookie is not
accepted, so the endpoints need no CSRF token and a browser cannot be made
to call them.

``adapters``  the SCIM user, the service's configuration, the auth check
``filters``   ``filter=`` on the user list
``services``  the writes: save a person's attributes, deactivate
``urls``      the routes, included at ``/scim/v2/`` by ``horserace.urls``
"""

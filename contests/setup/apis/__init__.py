"""The set-up's API: the same services as the pages.

Racecourse settings and challenge edits are ``PATCH`` on the existing detail
routes (``contests.apis.seasons`` mixes ``RacecourseSettingsApiMixin`` and
``ChallengeEditApiMixin`` in); the catalogue and trainer-pool lists are
gestation's (``ideas.gestation.apis.catalogue``), which mixes the ``POST``
halves in. The other routes are ``contests.setup.urls.api_urlpatterns``.

Where things are: ``racecourses`` (settings, challenges), ``catalogue``
(resources, budgets, trainers), ``roles``; ``common`` parses.
"""

from .catalogue import (
    RacecourseBudgetSetApi,
    ResourceUpdateApi,
    SeasonResourceCreateApiMixin,
    SeasonTrainerAddApiMixin,
    SeasonTrainerApi,
)
from .racecourses import (
    ChallengeEditApiMixin,
    RacecourseChallengeCreateApi,
    RacecourseSettingsApiMixin,
)
from .roles import (
    RacecourseAdminRemoveApi,
    RacecourseAdminsApi,
    RacecourseEvaluatorRemoveApi,
    RacecourseEvaluatorsApi,
    RoleApi,
    RoleRemoveApi,
)

__all__ = [
    "ChallengeEditApiMixin",
    "RacecourseAdminRemoveApi",
    "RacecourseAdminsApi",
    "RacecourseBudgetSetApi",
    "RacecourseChallengeCreateApi",
    "RacecourseEvaluatorRemoveApi",
    "RacecourseEvaluatorsApi",
    "RacecourseSettingsApiMixin",
    "ResourceUpdateApi",
    "RoleApi",
    "RoleRemoveApi",
    "SeasonResourceCreateApiMixin",
    "SeasonTrainerAddApiMixin",
    "SeasonTrainerApi",
]

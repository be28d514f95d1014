"""Gestation and realization notifications carry content only to its readers."""

import pytest

from horserace.notifications.models import Notification
from ideas.gestation.services.proposal import final_proposal_submit
from tests.factories import UserFactory
from tests.factories_gestation import gestating_idea

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("visibility", "admin_reads"), [("everyone", True), ("confidential", False)]
)
def test_a_proposal_summary_reaches_only_admins_who_may_read_it(
    visibility, admin_reads
):
    """The racecourse's admin hears that a proposal came in; its summary is in
    the note only when the admin may read the idea (a confidential one is
    opened first). Found by the leak matrix on /notifications/."""
    idea = gestating_idea(visibility=visibility)
    admin = UserFactory()
    idea.racecourse.admins.add(admin)

    final_proposal_submit(
        idea=idea, actor=idea.author, summary="Summary sealed-7", document="Doc."
    )

    note = Notification.objects.get(recipient=admin)
    assert ("sealed-7" in note.body) is admin_reads
    # Not stored for them either: the row's params are blanked, not hidden.
    assert ("sealed-7" in str(note.params)) is admin_reads


@pytest.mark.parametrize(
    ("visibility", "hr_reads"), [("everyone", True), ("confidential", False)]
)
def test_a_milestone_review_reaches_only_hr_who_may_read_it(visibility, hr_reads):
    """HR hears that a tranche's milestone review came in; the review's text is
    in the note only when HR may read the project (a confidential one is
    opened first). Found by the leak matrix on /notifications/."""
    from ideas.realization.services.reviews import tranche_review_submit
    from tests.factories_realization import plan_for, realization_world

    world = realization_world(visibility=visibility)
    tranche = plan_for(world.idea, actor=world.hr).tranches.order_by("position")[0]
    reader = UserFactory(is_hr_admin=True)

    tranche_review_submit(tranche=tranche, actor=world.member, review="Review sealed-8")

    note = Notification.objects.get(recipient=reader)
    assert ("sealed-8" in note.body) is hr_reads
    assert ("sealed-8" in str(note.params)) is hr_reads

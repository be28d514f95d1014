from ideas.models import Stage
from tests.factories import idea_in_stage


def test_idea_walks_to_realized(db):
    """The factories can walk an idea all the way through the funnel."""
    idea = idea_in_stage(Stage.REALIZED)
    assert idea.stage == Stage.REALIZED
    assert idea.registration.number == 1
    assert [t.to_stage for t in idea.transitions.all()][-1] == Stage.REALIZED

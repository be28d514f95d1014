"""The demo's talk: a discussion on an idea in Taobao's open screening.

Colleagues ask and the captain answers; one of them mentions the demo
employee (who then follows the idea, and finds the mention in her inbox); a
post that is not about the idea has been reported and waits in the
moderators' queue (Zhao Lei's and HR's). All of it through the discussion's
services, as the idea page would do it, while the round is open.
"""

from horserace.accounts.models import User
from ideas.discussion.services.comments import comment_post
from ideas.discussion.services.follows import follow_set
from ideas.discussion.services.moderation import comment_report
from ideas.models import Idea, Stage, TeamMembership, Visibility


def _idea(ideas: dict[str, Idea], employee: User) -> Idea | None:
    """An open idea in Taobao's screening that is not the employee's team's."""
    for idea in ideas.values():
        idea.refresh_from_db()
        if (
            idea.stage == Stage.SCREENING
            and idea.racecourse.slug == "taobao"
            and idea.visibility == Visibility.EVERYONE
            and not idea.anonymous
            and not TeamMembership.objects.filter(idea=idea, user=employee).exists()
        ):
            return idea
    return None


def discussion_seed(*, people: dict[str, User], ideas: dict[str, Idea]) -> None:
    employee = people["employee"]
    idea = _idea(ideas, employee)
    if idea is None:
        return
    captain = idea.memberships.get(role=TeamMembership.Role.CAPTAIN).user
    question = comment_post(
        idea=idea,
        actor=people["kevin.wu"],
        body=(
            "Would this work for sellers who ship only once a week? "
            "@employee runs seller services and may know how many there are."
        ),
    )
    comment_post(
        idea=idea,
        actor=captain,
        parent=question,
        body="Yes: we tried weekly pickup slots with twelve small shops last month.",
    )
    comment_post(
        idea=idea,
        actor=people["sun.yue"],
        body="这个想法对淘宝直播的商家也有用，值得一起试点。",
    )
    follow_set(actor=employee, on=True, idea=idea)
    off_topic = comment_post(
        idea=idea,
        actor=people["tony.guo"],
        body="Selling two concert tickets for Saturday, message me.",
    )
    comment_report(
        comment=off_topic,
        actor=people["colleague"],
        reason="Advertising, not about the idea.",
    )

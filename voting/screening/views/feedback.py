"""The team's feedback page: voters' reasons after the round is applied."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from horserace.common.permissions import can
from ideas.models import Idea
from voting.screening.selectors.feedback import idea_feedback


def feedback_idea_or_404(user, pk: int) -> Idea:
    """The idea, if ``user`` may read its voters' reasons; 404 otherwise (a
    stranger learns nothing, not even that the idea exists)."""
    idea = get_object_or_404(
        Idea.objects.select_related("racecourse__season", "registration"), pk=pk
    )
    if not can(user, "voting.see_feedback", idea):
        raise Http404
    return idea


@login_required
def feedback(request, pk: int):
    """Counts and reasons per applied round; nothing before the close."""
    idea = feedback_idea_or_404(request.user, pk)
    rounds = idea_feedback(idea=idea)
    return render(
        request,
        "voting/feedback.html",
        {
            "idea": idea,
            "rounds": rounds,
            "reasons_total": sum(r.with_reason for r in rounds),
        },
    )

"""The team workspace and what the team does there."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import attempt
from ideas.selectors.gestation.pages import gestation_workspace
from ideas.services.gestation.progress import (
    milestone_create as services_milestone_create,
)
from ideas.services.gestation.progress import (
    milestone_delete as services_milestone_delete,
)
from ideas.services.gestation.progress import milestone_set_done, progress_update_post
from ideas.services.gestation.resources import resource_request_create

from ...forms.gestation import (
    MilestoneForm,
    ProgressUpdateForm,
    ResourceRequestForm,
    TrainerRequestForm,
)
from ...models import Idea, Milestone
from ...services import trainers as trainer_services
from .helpers import gestation_idea, submit, to_workspace


def _workspace(request, idea: Idea, **forms):
    context = gestation_workspace(idea=idea, user=request.user)
    context |= {
        "request_form": ResourceRequestForm(idea=idea),
        "milestone_form": MilestoneForm(),
        "update_form": ProgressUpdateForm(idea=idea),
        "trainer_form": TrainerRequestForm(idea=idea),
        **forms,
    }
    return render(request, "ideas/gestation/workspace.html", context)


@login_required
def workspace(request, pk: int):
    """The team's gestation: resources, trainer, milestones, updates, proposal."""
    return _workspace(request, gestation_idea(request, pk))


@login_required
@require_POST
def request_create(request, pk: int):
    idea = gestation_idea(request, pk)
    form = ResourceRequestForm(request.POST, idea=idea)
    if submit(
        request,
        form,
        lambda data: resource_request_create(idea=idea, actor=request.user, **data),
        _("Your request is sent; you will hear when it is decided."),
    ):
        return to_workspace(idea, "resources")
    return _workspace(request, idea, request_form=form)


@login_required
@require_POST
def milestone_create(request, pk: int):
    idea = gestation_idea(request, pk)
    form = MilestoneForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services_milestone_create(idea=idea, actor=request.user, **data),
        _("Milestone added."),
    ):
        return to_workspace(idea, "progress")
    return _workspace(request, idea, milestone_form=form)


@login_required
@require_POST
def milestone_done(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    idea = gestation_idea(request, milestone.idea_id)
    done = request.POST.get("done", "1") == "1"
    attempt(
        request,
        lambda: milestone_set_done(milestone=milestone, actor=request.user, done=done),
        _("Milestone marked done.") if done else _("Milestone reopened."),
    )
    return to_workspace(idea, "progress")


@login_required
@require_POST
def milestone_delete(request, pk: int):
    milestone = get_object_or_404(Milestone, pk=pk)
    idea = gestation_idea(request, milestone.idea_id)
    attempt(
        request,
        lambda: services_milestone_delete(milestone=milestone, actor=request.user),
        _("Milestone removed."),
    )
    return to_workspace(idea, "progress")


@login_required
@require_POST
def update_create(request, pk: int):
    idea = gestation_idea(request, pk)
    form = ProgressUpdateForm(request.POST, idea=idea)
    if submit(
        request,
        form,
        lambda data: progress_update_post(idea=idea, actor=request.user, **data),
        _("Update posted."),
    ):
        return to_workspace(idea, "progress")
    return _workspace(request, idea, update_form=form)


@login_required
@require_POST
def trainer_request(request, pk: int):
    idea = gestation_idea(request, pk)
    form = TrainerRequestForm(request.POST, idea=idea)
    if submit(
        request,
        form,
        lambda data: trainer_services.trainer_request(
            idea=idea, actor=request.user, **data
        ),
        _("Your request for a trainer is sent."),
    ):
        return to_workspace(idea, "trainer")
    return _workspace(request, idea, trainer_form=form)

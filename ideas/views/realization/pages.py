"""The HR desk, a project's page and a manager's approvals."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from horserace.accounts.rules import is_hr_admin
from horserace.common.permissions import can

from ...forms.realization import ApproveForm, ReviewForm, SendBackForm
from ...selectors import realization as selectors
from .helpers import realization_project, require

REALIZATION_PERMS = (
    "manage_realization",
    "propose_allocation",
    "submit_milestone_review",
    "release_tranche",
    "close_realization",
)


@login_required
def desk(request):
    """HR and racecourse admins: projects in realization and reviews waiting."""
    require(request.user, "ideas.view_realization_desk", None)
    return render(
        request,
        "ideas/realization/desk.html",
        {
            "projects": selectors.realization_projects(user=request.user),
            "reviews": list(selectors.tranche_reviews_waiting(user=request.user)),
            "can_release": is_hr_admin(request.user),
        },
    )


@login_required
def project(request, pk: int):
    """A project's outcomes, allocations, plan and ledger, with the forms the
    user may use."""
    idea = realization_project(request, pk)
    user = request.user
    detail = selectors.realization_detail(idea=idea)
    allowed = {name: can(user, f"ideas.{name}", idea) for name in REALIZATION_PERMS}
    nxt = detail["next_tranche"]
    return render(
        request,
        "ideas/realization/project.html",
        {
            **detail,
            "allowed": allowed,
            "review_form": ReviewForm()
            if allowed["submit_milestone_review"] and nxt and nxt.status == "planned"
            else None,
            # Both sit on the page: distinct ids, same field names.
            "approve_form": ApproveForm(auto_id="approve_%s"),
            "send_back_form": SendBackForm(auto_id="send_back_%s"),
        },
    )


@login_required
def approvals(request):
    """A manager's time allocations waiting for a decision."""
    return render(
        request,
        "ideas/realization/approvals.html",
        {
            "waiting": list(selectors.allocations_waiting(user=request.user)),
            "decided": list(
                selectors.allocation_list(user=request.user)
                .filter(manager=request.user)
                .exclude(approved_at__isnull=True, declined_at__isnull=True)[:20]
            ),
        },
    )

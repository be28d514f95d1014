"""The final proposal and its files."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from horserace.common.pages import attempt
from horserace.common.permissions import can
from ideas.selectors.gestation.proposal import (
    final_proposal_get,
    proposal_attachments,
    proposal_deadline,
)
from ideas.services.attachments import attachment_add, attachment_remove
from ideas.services.gestation.proposal import final_proposal_submit

from ...forms.gestation import ProposalFileForm, ProposalForm
from ...models import Attachment, Idea
from .helpers import gestation_idea, submit


def _proposal_page(request, idea: Idea, **forms):
    context = {
        "idea": idea,
        "proposal": final_proposal_get(idea=idea),
        "files": list(proposal_attachments(idea=idea)),
        "deadline": proposal_deadline(idea=idea),
        "can_submit": can(request.user, "ideas.submit_proposal", idea),
        "form": ProposalForm(),
        "file_form": ProposalFileForm(),
        **forms,
    }
    return render(request, "ideas/gestation/proposal.html", context)


@login_required
def proposal(request, pk: int):
    """The proposal: the form for the captain, the submitted text for others."""
    idea = gestation_idea(request, pk)
    if request.method != "POST":
        return _proposal_page(request, idea)
    form = ProposalForm(request.POST)
    if submit(
        request,
        form,
        lambda data: final_proposal_submit(idea=idea, actor=request.user, **data),
        _("Your final proposal is submitted. The project moves on to evaluation."),
    ):
        return redirect("gestation:proposal", pk=idea.pk)
    return _proposal_page(request, idea, form=form)


@login_required
@require_POST
def proposal_file_upload(request, pk: int):
    idea = gestation_idea(request, pk)
    form = ProposalFileForm(request.POST, request.FILES)
    if submit(
        request,
        form,
        lambda data: attachment_add(
            idea=idea,
            actor=request.user,
            upload=data["file"],
            kind=Attachment.Kind.PROPOSAL,
        ),
        _("File attached to the proposal."),
    ):
        return redirect("gestation:proposal", pk=idea.pk)
    return _proposal_page(request, idea, file_form=form)


@login_required
@require_POST
def proposal_file_delete(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk, kind=Attachment.Kind.PROPOSAL)
    idea = gestation_idea(request, attachment.idea_id)
    attempt(
        request,
        lambda: attachment_remove(attachment=attachment, actor=request.user),
        _("File removed."),
    )
    return redirect("gestation:proposal", pk=idea.pk)

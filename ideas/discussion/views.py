"""The discussion in the browser, under ``/ideas/discussion/``.

The comments themselves are shown on the idea's page (its ``discussion``
chapter); these views take the forms it posts, and serve the moderators'
queue. A form with errors comes back on a page of its own.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests.models import Challenge
from horserace.common.pages import apply_service_errors, attempt, next_or
from horserace.common.permissions import can
from ideas import selectors as idea_selectors
from ideas.discussion import selectors
from ideas.discussion.forms import CommentForm, ReasonForm
from ideas.discussion.selectors import comment_get_readable
from ideas.discussion.services import (
    comment_delete,
    comment_hide,
    comment_post,
    comment_report,
    comment_reports_dismiss,
    follow_set,
)
from ideas.models import Comment


def _to_comment(comment: Comment):
    return redirect(f"{comment.idea.get_absolute_url()}#comment-{comment.pk}")


@login_required
@require_POST
def comment_create(request, pk: int):
    """Post a comment, or a reply (``parent``); errors come back on a form page."""
    idea = idea_selectors.idea_get_visible(user=request.user, pk=pk)
    form = CommentForm(request.POST)
    parent = None
    if form.is_valid():
        parent_id = form.cleaned_data.get("parent")
        if parent_id:
            parent = Comment.objects.filter(pk=parent_id, idea=idea).first()
            if parent is None:
                form.add_error(None, _("That comment is not on this idea."))
    if form.is_valid():
        try:
            comment = comment_post(
                idea=idea,
                actor=request.user,
                body=form.cleaned_data["body"],
                parent=parent,
            )
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is posted."))
            return _to_comment(comment)
    return render(
        request,
        "ideas/discussion/comment_form.html",
        {"idea": idea, "form": form, "parent": parent},
        status=400,
    )


@login_required
@require_POST
def comment_remove(request, pk: int):
    comment = comment_get_readable(user=request.user, pk=pk)
    comment_delete(comment=comment, actor=request.user)
    messages.success(request, _("Your comment is deleted."))
    return _to_comment(comment)


def _reason_page(request, pk: int, *, action: str, rule: str, act, done, then):
    """A comment's reason form (GET) and its answer (POST): report or hide."""
    comment = comment_get_readable(user=request.user, pk=pk)
    if not can(request.user, rule, comment):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            act(comment=comment, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, done)
            return then(comment)
    return render(
        request,
        "ideas/discussion/reason_form.html",
        {
            "form": form,
            "comment": selectors.comment_show(comment=comment, user=request.user),
            "idea": comment.idea,
            "action": action,
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
def comment_report_page(request, pk: int):
    """Report a comment to the moderators (GET: the form)."""
    return _reason_page(
        request,
        pk,
        action="report",
        rule="ideas.report_comment",
        act=comment_report,
        done=_("Thank you: the moderators will look at this comment."),
        then=_to_comment,
    )


@login_required
def comment_hide_page(request, pk: int):
    """A moderator hides a comment with a reason (GET: the form)."""
    return _reason_page(
        request,
        pk,
        action="hide",
        rule="ideas.hide_comment",
        act=comment_hide,
        done=_("The comment is hidden; its author is told why."),
        then=lambda comment: redirect(
            next_or(request, comment.idea.get_absolute_url())
        ),
    )


@login_required
@require_POST
def reports_dismiss(request, pk: int):
    comment = comment_get_readable(user=request.user, pk=pk)
    attempt(
        request,
        lambda: comment_reports_dismiss(comment=comment, actor=request.user),
        _("The reports are dismissed; the comment stays."),
    )
    return redirect("discussion:reports")


@login_required
def reports(request):
    """The moderators' queue: reported comments of the ideas they moderate."""
    if not selectors.may_moderate(request.user):
        raise PermissionDenied
    return render(
        request,
        "ideas/discussion/reports.html",
        {"queue": selectors.report_queue(user=request.user)},
    )


@login_required
@require_POST
def idea_follow(request, pk: int):
    idea = idea_selectors.idea_get_visible(user=request.user, pk=pk, content=False)
    on = request.POST.get("follow", "1") != "0"
    follow_set(actor=request.user, idea=idea, on=on)
    messages.success(
        request,
        _("You follow this idea: you will hear of new comments.")
        if on
        else _("You no longer follow this idea."),
    )
    return redirect(next_or(request, idea.get_absolute_url()))


@login_required
@require_POST
def challenge_follow(request, pk: int):
    challenge = get_object_or_404(Challenge.objects.select_related("racecourse"), pk=pk)
    on = request.POST.get("follow", "1") != "0"
    follow_set(actor=request.user, challenge=challenge, on=on)
    messages.success(
        request,
        _("You follow this challenge: you will hear of new ideas for it.")
        if on
        else _("You no longer follow this challenge."),
    )
    return redirect(next_or(request, challenge.racecourse.get_absolute_url()))

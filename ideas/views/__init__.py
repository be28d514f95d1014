"""Browser pages for ideas and teams. Parse, call one service, render."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from contests import selectors as contest_selectors
from horserace.common.converters import parse_id
from horserace.common.pages import apply_service_errors as _apply_service_errors
from horserace.common.pages import attempt as _attempt
from horserace.common.permissions import can
from ideas.services.attachments import attachment_add, attachment_remove
from ideas.services.farm import carry_targets
from ideas.services.ideas import idea_create as services_idea_create
from ideas.services.ideas import idea_update
from ideas.services.ideas import idea_withdraw as services_idea_withdraw
from ideas.services.registration import idea_register as services_idea_register
from ideas.services.teams import (
    invitation_accept,
    invitation_decline,
    join_request_accept,
    join_request_decline,
    join_request_withdraw,
    team_remove_member,
    team_transfer_captaincy,
)
from ideas.services.teams import invitation_cancel as services_invitation_cancel
from ideas.services.teams import join_request_create as services_join_request_create
from ideas.services.teams import team_invite as services_team_invite
from ideas.services.teams import team_leave as services_team_leave

from .. import selectors
from ..forms import (
    AttachmentForm,
    IdeaForm,
    InviteForm,
    MemberForm,
    MessageForm,
    ReasonForm,
)
from ..models import Attachment, JoinRequest, TeamInvitation
from ..stories import idea_story
from .access import sealed_page

User = get_user_model()


def _form_errors_to_messages(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@login_required
def my_ideas(request):
    return render(
        request,
        "ideas/mine.html",
        {
            "memberships": selectors.ideas_of_user(user=request.user),
            "invitations": selectors.invitations_pending(user=request.user),
            "join_requests": JoinRequest.objects.filter(requester=request.user)
            .select_related("idea")
            .order_by("-created_at")[:20],
        },
    )


@login_required
def idea_create(request):
    season = contest_selectors.season_current()
    if season is None:
        messages.error(request, _("There is no season to submit an idea to yet."))
        return redirect("home")
    initial = {}
    for key in ("racecourse", "challenge"):
        if pk := parse_id(request.GET.get(key)):
            initial[key] = pk
    if "challenge" in initial and "racecourse" not in initial:
        challenge = (
            contest_selectors.challenge_list(season=season)
            .filter(pk=initial["challenge"])
            .first()
        )
        if challenge is not None:
            initial["racecourse"] = challenge.racecourse_id
    form = IdeaForm(request.POST or None, season=season, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            idea = services_idea_create(author=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Your idea is saved as a draft. Register it to claim it as yours."),
            )
            return redirect(idea)
    return render(request, "ideas/form.html", {"form": form, "season": season})


@login_required
def idea_edit(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    if not can(request.user, "ideas.change_idea", idea):
        messages.error(request, _("Only the captain can edit a live idea."))
        return redirect(idea)
    form = IdeaForm(
        request.POST or None,
        instance=idea,
        season=idea.racecourse.season,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            idea_update(idea=idea, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_service_errors(form, error)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(idea)
    return render(request, "ideas/form.html", {"form": form, "idea": idea})


@login_required
def idea_detail(request, pk: int):
    try:
        idea = selectors.idea_get_visible(user=request.user, pk=pk)
    except selectors.IdeaSealed as sealed:
        return sealed_page(request, sealed.idea)
    user = request.user
    members = list(idea.memberships.all())
    is_member = any(m.user_id == user.pk for m in members)
    can_see_team = can(user, "ideas.see_team", idea)
    context = {
        "idea": idea,
        "members": members if can_see_team else [],
        "is_member": is_member,
        "can_see_team": can_see_team,
        "can_unmask": not can_see_team and can(user, "ideas.unmask_idea", idea),
        "access_log": selectors.idea_access_log(idea=idea, user=user),
        "registration": getattr(idea, "registration", None),
        "changed_since_registration": selectors.idea_changed_since_registration(
            idea=idea
        ),
        "registration_open": contest_selectors.registration_is_open(
            racecourse=idea.racecourse
        ),
        "perms_idea": {
            name: can(user, f"ideas.{name}", idea)
            for name in (
                "change_idea",
                "register_idea",
                "withdraw_idea",
                "manage_team",
                "request_join",
                "leave_team",
            )
        },
        "my_invitation": idea.invitations.filter(
            invitee=user, status="pending"
        ).first(),
        "my_join_request": idea.join_requests.filter(
            requester=user, status="pending"
        ).first(),
        "invite_form": InviteForm(),
        "join_form": MessageForm(),
        "withdraw_form": ReasonForm(),
        "attachment_form": AttachmentForm(),
    }
    if context["perms_idea"]["manage_team"]:
        context |= selectors.team_pending(idea=idea)
    context["carry_targets"] = (
        carry_targets(idea=idea) if can(user, "ideas.carry_idea", idea) else None
    )
    context["can_replant"] = can(user, "ideas.replant_idea", idea)
    context["now"] = timezone.now()
    # The rest of the story, each part as ``user`` may see it (None or empty
    # when the idea never got that far).
    context |= idea_story(idea=idea, user=user)
    return render(request, "ideas/detail.html", context)


@login_required
@require_POST
def idea_register(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    _attempt(
        request,
        lambda: services_idea_register(idea=idea, actor=request.user),
        _("Registered. Your certificate is your proof of authorship."),
    )
    return redirect(idea)


@login_required
@require_POST
def idea_withdraw(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services_idea_withdraw(idea=idea, actor=request.user, reason=reason),
        _("The idea is withdrawn from the race."),
    )
    return redirect(idea)


@login_required
def idea_certificate(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    registration = getattr(idea, "registration", None)
    if registration is None:
        raise Http404
    return render(
        request,
        "ideas/certificate.html",
        {
            "idea": idea,
            "registration": registration,
            "changed": selectors.idea_changed_since_registration(idea=idea),
            "members": list(idea.memberships.all()),
            "can_see_team": can(request.user, "ideas.see_team", idea),
        },
    )


@login_required
def idea_history(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    records = idea.history.select_related("history_user").order_by("-history_date")
    versions = []
    for record in records[:50]:
        previous = record.prev_record
        changes = (
            record.diff_against(previous, excluded_fields=["stage"]).changes
            if previous
            else []
        )
        versions.append({"record": record, "changes": changes})
    return render(
        request,
        "ideas/history.html",
        {
            "idea": idea,
            "versions": versions,
            "can_see_team": can(request.user, "ideas.see_team", idea),
        },
    )


@login_required
def team_manage(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    can_manage = can(request.user, "ideas.manage_team", idea)
    members = list(idea.memberships.all())
    can_see_team = can(request.user, "ideas.see_team", idea)
    context = {
        "idea": idea,
        # Who is on an anonymous (or blind-evaluated) team is the team's own
        # business: others see how many seats are taken, not by whom.
        "members": members if can_see_team else [],
        "seats_taken": len(members),
        "can_see_team": can_see_team,
        "is_member": any(m.user_id == request.user.pk for m in members),
        "can_manage": can_manage,
        "invite_form": InviteForm(),
        "transfer_form": MemberForm(idea=idea),
    }
    if can_manage:
        context |= selectors.team_pending(idea=idea)
    return render(request, "ideas/team.html", context)


def _back(request, idea):
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(idea)


@login_required
@require_POST
def team_invite(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        invitee = form.cleaned_data["invitee"]
        _attempt(
            request,
            lambda: services_team_invite(
                idea=idea,
                actor=request.user,
                invitee=invitee,
                message=form.cleaned_data["message"],
            ),
            _("%(name)s is invited.") % {"name": invitee},
        )
    else:
        _form_errors_to_messages(request, form)
    return _back(request, idea)


@login_required
@require_POST
def invitation_respond(request, pk: int):
    invitation = get_object_or_404(TeamInvitation, pk=pk, invitee=request.user)
    if request.POST.get("answer") == "accept":
        ok = _attempt(
            request,
            lambda: invitation_accept(invitation=invitation, actor=request.user),
            _("Welcome to the team!"),
        )
        return redirect(invitation.idea if ok else "ideas:mine")
    _attempt(
        request,
        lambda: invitation_decline(invitation=invitation, actor=request.user),
        _("Invitation declined."),
    )
    return redirect("ideas:mine")


@login_required
@require_POST
def invitation_cancel(request, pk: int):
    invitation = get_object_or_404(TeamInvitation, pk=pk)
    _attempt(
        request,
        lambda: services_invitation_cancel(invitation=invitation, actor=request.user),
        _("Invitation cancelled."),
    )
    return _back(request, invitation.idea)


@login_required
@require_POST
def join_request_create(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    form = MessageForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""
    _attempt(
        request,
        lambda: services_join_request_create(
            idea=idea, actor=request.user, message=message
        ),
        _("Your request is sent to the captain."),
    )
    return redirect(idea)


@login_required
@require_POST
def join_request_respond(request, pk: int):
    join_request = get_object_or_404(JoinRequest, pk=pk)
    answer = request.POST.get("answer")
    if answer == "accept":
        _attempt(
            request,
            lambda: join_request_accept(join_request=join_request, actor=request.user),
            _("%(name)s joined the team.") % {"name": join_request.requester},
        )
    elif answer == "withdraw":
        _attempt(
            request,
            lambda: join_request_withdraw(
                join_request=join_request, actor=request.user
            ),
            _("Your request is withdrawn."),
        )
    else:
        _attempt(
            request,
            lambda: join_request_decline(join_request=join_request, actor=request.user),
            _("Request declined."),
        )
    return _back(request, join_request.idea)


@login_required
@require_POST
def team_leave(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    ok = _attempt(
        request,
        lambda: services_team_leave(idea=idea, actor=request.user),
        _("You left the team."),
    )
    return redirect("ideas:mine" if ok else idea)


def _act_on_member(request, pk: int, act, success: str):
    """Parse the member a captain picked, then ``act(idea, member)``."""
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    form = MemberForm(request.POST, idea=idea)
    if form.is_valid():
        member = form.cleaned_data["user"]
        _attempt(request, lambda: act(idea, member), success % {"name": member})
    else:
        _form_errors_to_messages(request, form)
    return redirect("ideas:team", pk=idea.pk)


@login_required
@require_POST
def team_remove(request, pk: int):
    return _act_on_member(
        request,
        pk,
        lambda idea, member: team_remove_member(
            idea=idea, actor=request.user, user=member
        ),
        _("%(name)s is no longer on the team."),
    )


@login_required
@require_POST
def team_transfer(request, pk: int):
    return _act_on_member(
        request,
        pk,
        lambda idea, member: team_transfer_captaincy(
            idea=idea, actor=request.user, to_user=member
        ),
        _("%(name)s is now the captain."),
    )


@login_required
@require_POST
def attachment_upload(request, pk: int):
    idea = selectors.idea_get_visible(user=request.user, pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        _attempt(
            request,
            lambda: attachment_add(
                idea=idea, actor=request.user, upload=form.cleaned_data["file"]
            ),
            _("File attached."),
        )
    else:
        _form_errors_to_messages(request, form)
    return redirect(idea)


@login_required
def attachment_download(request, pk: int):
    """Files are served only to people who may see their idea; a proposal's
    files, before it is submitted, only to those who see the team's gestation."""
    attachment = get_object_or_404(Attachment, pk=pk)
    idea = selectors.idea_get_visible(user=request.user, pk=attachment.idea_id)
    if attachment.kind == Attachment.Kind.PROPOSAL and not can(
        request.user, "ideas.see_proposal_files", idea
    ):
        raise Http404
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment, pk=pk)
    idea = selectors.idea_get_visible(user=request.user, pk=attachment.idea_id)
    _attempt(
        request,
        lambda: attachment_remove(attachment=attachment, actor=request.user),
        _("Attachment removed."),
    )
    return redirect(idea)


@login_required
def people_search(request):
    """Suggestions for the invite box (htmx fills a <datalist>)."""
    term = request.GET.get("invitee", request.GET.get("q", "")).strip()
    people = []
    if len(term) >= 2:
        people = (
            User.objects.filter(is_active=True)
            .filter(
                Q(display_name__icontains=term)
                | Q(email__icontains=term)
                | Q(employee_number__istartswith=term)
            )
            .exclude(pk=request.user.pk)
            .select_related("department")[:10]
        )
    return render(request, "ideas/_people_options.html", {"people": people})

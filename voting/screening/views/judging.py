"""The judging page: one card at a time or a list, built for speed.

htmx swaps in the next card (or, in the list, the changed row) with the
progress header swapped out of band; without JavaScript the same forms post
and redirect. Every refusal (closed window, own idea, over budget, wrong
audience, unknown idea) becomes a message in the page, never an error page.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from horserace.common.permissions import can
from ideas.models import Idea
from ideas.visibility import Viewer
from voting.models import Choice
from voting.screening.forms import SKIP, JudgmentForm, WithdrawForm
from voting.screening.selectors.ballots import idea_for_judging
from voting.screening.selectors.queue import (
    ballots_of,
    judging_order,
    queue_ideas,
    tallies_of,
)
from voting.screening.selectors.rounds import screening_window
from voting.screening.services.ballots import (
    ballot_cast,
    ballot_withdraw,
    impression_record,
)
from voting.screening.views.common import (
    base_context,
    idea_urls,
    int_or_none,
    judge_url,
    racecourse_or_404,
    refusal_messages,
)

UNKNOWN_IDEA = _lazy("This idea is not judged on this racecourse.")

#: Rows per page of the list (the API's page size too): the queue of a big
#: round runs to hundreds of ideas, and every row is two forms.
LIST_PAGE_SIZE = 25


def _tally_of(window, idea_id: int):
    return tallies_of(window=window, idea_ids=[idea_id]).get(idea_id)


def _todo_first(order: list) -> list:
    """The voter's queue with the ideas still to judge first, each part in order."""
    return sorted(order, key=lambda item: item[1] is not None)


def _card_context(
    request,
    context: dict,
    *,
    after: int | None = None,
    focus: int | None = None,
    notice: str = "",
    errors: list[str] | None = None,
    reason: str = "",
) -> dict:
    """Pick the card to show: the next idea still to judge after ``after``.

    The voter's queue has a stable order; the card is the first idea not yet
    judged that follows ``after`` in it (wrapping round), so a skipped idea
    comes back once the others are done. ``focus`` shows one idea of the
    queue, judged or not (after a refusal, so the voter can choose again).
    """
    context |= {"notice": notice, "errors": errors or [], "reason": reason}
    if context["state"] != "open":
        return context
    user, window = request.user, context["window"]
    order = context["queue_order"]
    ids = [pk for pk, _choice in order]
    todo = {pk for pk, choice in order if choice is None}
    if focus in ids:
        chosen = focus
    elif after in ids:
        start = ids.index(after) + 1
        rotated = ids[start:] + ids[:start]
        chosen = next((pk for pk in rotated if pk in todo), None)
    else:
        chosen = next((pk for pk in ids if pk in todo), None)
    if chosen is None:
        return context
    idea = queue_ideas(window=window, pks=[chosen], team=True).get(chosen)
    if idea is None or not can(user, "ideas.read_content", idea):
        return context  # gone between the two reads
    idea.my_choice = dict(order)[chosen]
    try:
        impression_record(voter=user, idea=idea, window=window)
    except (ValidationError, PermissionDenied) as error:
        context["errors"] = context["errors"] + refusal_messages(error)
    context |= {
        "idea": idea,
        "can_see_team": can(user, "ideas.see_team", idea),
        "members": list(idea.memberships.all()),
        "tally": _tally_of(window, idea.pk) if context["counts_visible"] else None,
    }
    return context


def _row(viewer: Viewer, url, idea: Idea, ballot, tally) -> dict:
    return {
        "idea": idea,
        "url": url(idea.pk),
        "ballot": ballot,
        "choice": ballot.choice if ballot else "",
        "reason": ballot.reason if ballot else "",
        "tally": tally,
        "can_see_team": viewer.sees_names(idea),
    }


def _list_rows(request, context: dict) -> tuple[list[dict], Page]:
    """One page of the voter's queue, still to judge first, with the ballots."""
    user, window = request.user, context["window"]
    page = Paginator(_todo_first(context["queue_order"]), LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    pks = [pk for pk, _choice in page.object_list]
    ideas = queue_ideas(window=window, pks=pks)
    ballots = ballots_of(voter=user, window=window, idea_ids=pks)
    tallies = {}
    if context["counts_visible"]:
        tallies = tallies_of(window=window, idea_ids=pks)
    viewer, url = Viewer(user), idea_urls()
    rows = []
    for pk, choice in page.object_list:
        idea = ideas.get(pk)
        if idea is None:  # gone between the two reads
            continue
        idea.my_choice = choice
        rows.append(_row(viewer, url, idea, ballots.get(pk), tallies.get(pk)))
    return rows, page


def _list_page_of(request, racecourse, idea_id: int | None) -> int | None:
    """The page of the list that shows ``idea_id`` now (None: the first)."""
    window = screening_window(racecourse=racecourse)
    if idea_id is None or window is None:
        return None
    order = judging_order(user=request.user, window=window)
    ids = [pk for pk, _choice in _todo_first(order)]
    if idea_id not in ids:
        return None
    page = ids.index(idea_id) // LIST_PAGE_SIZE + 1
    return page if page > 1 else None


def _row_context(request, context: dict, idea: Idea, errors, notice) -> dict:
    """One row of the list after a change, for htmx to swap in."""
    user, window = request.user, context["window"]
    choices = dict(context.get("queue_order", []))
    if idea.pk in choices:
        queued = queue_ideas(window=window, pks=[idea.pk]).get(idea.pk)
        if queued is not None:
            idea = queued
            idea.my_choice = choices[idea.pk]
    ballot = ballots_of(voter=user, window=window, idea_ids=[idea.pk]).get(idea.pk)
    tally = _tally_of(window, idea.pk) if context["counts_visible"] else None
    return context | {
        "row": _row(Viewer(user), idea_urls(), idea, ballot, tally),
        "errors": errors,
        "notice": notice,
    }


def _posted(request, form_class, racecourse):
    """The posted form, the idea it names on this racecourse (or None), the mode."""
    form = form_class(request.POST)
    mode = "list" if request.POST.get("mode") == "list" else "card"
    idea = None
    if form.is_valid():
        # The same check as the API's: an idea the user may not see is unknown.
        judging = idea_for_judging(user=request.user, pk=form.cleaned_data["idea"])
        if judging is not None and judging.idea.racecourse_id == racecourse.pk:
            idea = judging.idea
    return form, idea, mode


def _judged_notice(idea: Idea, choice: str) -> str:
    if choice == Choice.SUPPORT:
        return _("You support “%(title)s”.") % {"title": idea.title}
    if choice == Choice.OPPOSE:
        return _("You oppose “%(title)s”.") % {"title": idea.title}
    return _("Skipped “%(title)s”; it comes back after the others.") % {
        "title": idea.title
    }


# --- The judging page ---------------------------------------------------------------


@login_required
def judge(request, racecourse_id: int):
    """One card at a time (default) or the whole queue as a list (``?mode=list``).

    The list shows the ideas still to judge first, ``LIST_PAGE_SIZE`` a page.
    """
    racecourse = racecourse_or_404(racecourse_id)
    context = base_context(request, racecourse)
    mode = "list" if request.GET.get("mode") == "list" else "card"
    context["mode"] = mode
    if mode == "list":
        context |= {"notice": "", "errors": []}  # the rows show them after a change
        if context["state"] == "open":
            context["rows"], context["page"] = _list_rows(request, context)
    else:
        context = _card_context(
            request,
            context,
            after=int_or_none(request.GET.get("after")),
            focus=int_or_none(request.GET.get("idea")),
        )
    return render(request, "voting/judge.html", context)


@login_required
@require_POST
def cast(request, racecourse_id: int):
    """Support, oppose or skip one idea; then the next card (or the row).

    htmx gets the next card (or, in the list, the changed row) with the
    header's progress swapped out of band; a plain post redirects.
    """
    racecourse = racecourse_or_404(racecourse_id)
    form, idea, mode = _posted(request, JudgmentForm, racecourse)
    errors, notice = [], ""
    if idea is None:
        errors = [str(UNKNOWN_IDEA)]
        if not form.is_valid() and "idea" not in form.errors:
            errors = [e for field in form.errors.values() for e in field]
    elif form.cleaned_data["choice"] == SKIP:
        notice = _judged_notice(idea, SKIP)
    else:
        choice = form.cleaned_data["choice"]
        try:
            ballot_cast(
                voter=request.user,
                idea=idea,
                choice=choice,
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            errors = refusal_messages(error)
        else:
            notice = _judged_notice(idea, choice)
    return _respond(request, racecourse, mode, idea, errors, notice)


@login_required
@require_POST
def withdraw(request, racecourse_id: int):
    """Take back a judgment while the window is open."""
    racecourse = racecourse_or_404(racecourse_id)
    _form, idea, mode = _posted(request, WithdrawForm, racecourse)
    errors, notice = [], ""
    if idea is None:
        errors = [str(UNKNOWN_IDEA)]
    else:
        try:
            withdrawn = ballot_withdraw(voter=request.user, idea=idea)
        except (ValidationError, PermissionDenied) as error:
            errors = refusal_messages(error)
        else:
            notice = (
                _("Your judgment of “%(title)s” is withdrawn.")
                if withdrawn
                else _("You had not judged “%(title)s”.")
            ) % {"title": idea.title}
    return _respond(request, racecourse, mode, idea, errors, notice, focus=True)


def _respond(request, racecourse, mode, idea, errors, notice, focus=False):
    idea_id = idea.pk if idea is not None else None
    if not request.htmx:
        for error in errors:
            messages.error(request, error)
        if notice:
            messages.success(request, notice)
        if mode == "list":
            anchor = f"#row-{idea_id}" if idea_id else ""
            page = _list_page_of(request, racecourse, idea_id)
            return redirect(judge_url(racecourse, mode="list", page=page) + anchor)
        if errors or focus:
            return redirect(judge_url(racecourse, idea=idea_id))
        return redirect(judge_url(racecourse, after=idea_id))

    context = base_context(request, racecourse) | {"mode": mode}
    if mode == "list":
        if idea is not None and context["window"] is not None:
            context = _row_context(request, context, idea, errors, notice)
        else:
            context |= {"row": None, "errors": errors, "notice": notice}
        return render(request, "voting/_judge_row_response.html", context)
    if errors or focus:
        context = _card_context(
            request,
            context,
            focus=idea_id,
            errors=errors,
            notice=notice,
            reason=request.POST.get("reason", "")[:280] if errors else "",
        )
    else:
        context = _card_context(request, context, after=idea_id, notice=notice)
    return render(request, "voting/_judge_card_response.html", context)

"""Query-string filters for the ideas API (django-filter).

They narrow querysets the selectors already limited to what the user may see;
they never widen them. An unknown racecourse, season or stage is a 400.
"""

import django_filters
from rest_framework.filters import SearchFilter

from contests.models import Challenge, Racecourse, Season
from horserace.common.filters import IdFilter

from .models import Idea, JoinRequest, RequestStatus, Stage, TeamInvitation


class IdeaFilter(django_filters.FilterSet):
    racecourse = django_filters.ModelChoiceFilter(queryset=Racecourse.objects.all())
    season = django_filters.ModelChoiceFilter(
        field_name="racecourse__season", queryset=Season.objects.all()
    )
    stage = django_filters.MultipleChoiceFilter(choices=Stage.choices)
    challenge = django_filters.ModelChoiceFilter(queryset=Challenge.objects.all())

    class Meta:
        model = Idea
        fields = ["racecourse", "season", "stage", "challenge"]


class InvitationFilter(django_filters.FilterSet):
    # A plain number: asking about an idea you cannot see is an empty list, not a
    # "no such idea" error that would confirm it exists.
    idea = IdFilter(field_name="idea_id")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    received = django_filters.BooleanFilter(
        method="filter_received",
        label="Only invitations to me (true) or only those I manage (false)",
    )

    class Meta:
        model = TeamInvitation
        fields = ["idea", "status"]

    def filter_received(self, queryset, name, value):
        user = self.request.user
        return (
            queryset.filter(invitee=user) if value else queryset.exclude(invitee=user)
        )


class JoinRequestFilter(django_filters.FilterSet):
    idea = IdFilter(field_name="idea_id")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    mine = django_filters.BooleanFilter(
        method="filter_mine",
        label="Only requests I made (true) or only those waiting on me (false)",
    )

    class Meta:
        model = JoinRequest
        fields = ["idea", "status"]

    def filter_mine(self, queryset, name, value):
        user = self.request.user
        return (
            queryset.filter(requester=user)
            if value
            else queryset.exclude(requester=user)
        )


class IdeaSearchFilter(SearchFilter):
    """``?search=``: every word in the title, or in the body where the user may
    read it (``ideas.selectors.idea_search_q``), never in a sealed body."""

    def filter_queryset(self, request, queryset, view):
        from .selectors import idea_search_q

        for term in self.get_search_terms(request):
            queryset = queryset.filter(idea_search_q(user=request.user, text=term))
        return queryset

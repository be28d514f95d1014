"""The discussion's API under ``/api/v1/``: comments and replies, reports and
hiding, the moderators' list of reports, and following ideas and challenges.

A comment's author is ``null`` (and ``author_name`` is "the team") to a
viewer who may not see an anonymous team's people; a hidden comment's
``body`` is ``null`` but to its author and the moderators.
"""

from django.shortcuts import get_object_or_404
from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from contests.models import Challenge
from horserace.accounts.apis import UserBriefSerializer
from horserace.common.api import IdField, error_responses
from ideas import selectors as idea_selectors
from ideas.discussion import selectors
from ideas.discussion.services import (
    comment_delete,
    comment_hide,
    comment_post,
    comment_report,
    follow_set,
)
from ideas.discussion.services.moderation import REASON_MAX
from ideas.models import Comment, CommentReport

# --- shapes ---------------------------------------------------------------------


class DiscussionCommentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    idea = serializers.IntegerField(source="comment.idea_id")
    parent = serializers.IntegerField(  # type: ignore[assignment]
        source="parent_id", allow_null=True
    )
    author = UserBriefSerializer(
        allow_null=True,
        help_text="Null when the viewer may not see who is behind an anonymous team.",
    )
    author_name = serializers.CharField(
        source="shown_author", help_text="The author's name, or “the team”."
    )
    by_team = serializers.BooleanField(source="comment.by_team")
    state = serializers.ChoiceField(choices=["visible", "hidden", "deleted"])
    body = serializers.CharField(
        allow_null=True, help_text="Null when hidden or deleted (but to its author)."
    )
    hidden_reason = serializers.CharField(
        help_text="Why a moderator hid it: to its author and the moderators only."
    )
    created_at = serializers.DateTimeField()
    is_mine = serializers.BooleanField()
    open_reports = serializers.IntegerField(help_text="Moderators only; 0 for others.")


class DiscussionCommentInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment.MAX_LENGTH)
    parent = IdField(  # type: ignore[assignment]
        required=False,
        allow_null=True,
        help_text="The comment answered (a reply); on the same idea.",
    )


class DiscussionReplyInputSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=Comment.MAX_LENGTH)


class DiscussionReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX)


class DiscussionReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    comment = serializers.IntegerField(source="comment_id")
    idea = serializers.IntegerField(source="comment.idea_id")
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    resolution = serializers.ChoiceField(choices=CommentReport.Resolution.choices)
    resolved_at = serializers.DateTimeField(allow_null=True)


class DiscussionModerationReportOutputSerializer(DiscussionReportOutputSerializer):
    reporter = UserBriefSerializer(
        source="reporter_shown",
        allow_null=True,
        help_text="Null for a member of an anonymous team you may not see.",
    )


class DiscussionFollowOutputSerializer(serializers.Serializer):
    following = serializers.BooleanField()


def _parse(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _shown(comment: Comment, request):
    return DiscussionCommentOutputSerializer(
        selectors.comment_show(comment=comment, user=request.user)
    ).data


# --- comments -------------------------------------------------------------------


@extend_schema(tags=["discussion"])
class IdeaCommentsApi(GenericAPIView):
    """The idea's comments and replies, oldest first (GET); post one (POST)."""

    queryset = Comment.objects.none()  # for the schema; rows come from selectors

    @extend_schema(
        operation_id="ideas_comments_list",
        responses={
            200: DiscussionCommentOutputSerializer(many=True),
            **error_responses(400, 401, 404),
        },
    )
    def get(self, request, pk: int):
        idea = idea_selectors.idea_get_visible(user=request.user, pk=pk)
        rows = []
        for top in selectors.comment_list(idea=idea, user=request.user):
            rows.append(top)
            rows.extend(top.replies)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(
            DiscussionCommentOutputSerializer(page, many=True).data
        )

    @extend_schema(
        operation_id="ideas_comments_create",
        description=(
            "Comment on the idea, or reply with `parent`. Mentions (`@name`, "
            "the part of an e-mail address before the @) notify the people "
            "named who may read the idea."
        ),
        request=DiscussionCommentInputSerializer,
        responses={
            201: DiscussionCommentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_selectors.idea_get_visible(user=request.user, pk=pk)
        data = _parse(DiscussionCommentInputSerializer, request)
        parent = None
        if data.get("parent"):
            parent = Comment.objects.filter(pk=data["parent"], idea=idea).first()
            if parent is None:
                raise serializers.ValidationError(
                    {"parent": ["That comment is not on this idea."]}
                )
        comment = comment_post(
            idea=idea, actor=request.user, body=data["body"], parent=parent
        )
        return Response(_shown(comment, request), status=status.HTTP_201_CREATED)


@extend_schema(tags=["discussion"])
class CommentRepliesApi(APIView):
    @extend_schema(
        operation_id="comments_replies_create",
        description="Reply to a comment (a reply to a reply answers its comment).",
        request=DiscussionReplyInputSerializer,
        responses={
            201: DiscussionCommentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        parent = selectors.comment_get_readable(user=request.user, pk=pk)
        data = _parse(DiscussionReplyInputSerializer, request)
        comment = comment_post(
            idea=parent.idea, actor=request.user, body=data["body"], parent=parent
        )
        return Response(_shown(comment, request), status=status.HTTP_201_CREATED)


@extend_schema(tags=["discussion"])
class CommentDetailApi(APIView):
    @extend_schema(
        operation_id="comments_retrieve",
        responses={200: DiscussionCommentOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request, pk: int):
        comment = selectors.comment_get_readable(user=request.user, pk=pk)
        return Response(_shown(comment, request))

    @extend_schema(
        operation_id="comments_delete",
        description="The author deletes their comment: it shows as deleted.",
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request, pk: int):
        comment = selectors.comment_get_readable(user=request.user, pk=pk)
        comment_delete(comment=comment, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=["discussion"])
class CommentReportApi(APIView):
    @extend_schema(
        operation_id="comments_report",
        description="Ask the moderators to look at a comment, saying why.",
        request=DiscussionReasonInputSerializer,
        responses={
            201: DiscussionReportOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        comment = selectors.comment_get_readable(user=request.user, pk=pk)
        data = _parse(DiscussionReasonInputSerializer, request)
        report = comment_report(comment=comment, actor=request.user, **data)
        return Response(
            DiscussionReportOutputSerializer(report).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(tags=["discussion"])
class CommentHideApi(APIView):
    @extend_schema(
        operation_id="comments_hide",
        description=(
            "HR or an admin of the idea's racecourse hides a comment; the "
            "reason is required, recorded and sent to the author."
        ),
        request=DiscussionReasonInputSerializer,
        responses={
            200: DiscussionCommentOutputSerializer,
            **error_responses(400, 401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        comment = selectors.comment_get_readable(user=request.user, pk=pk)
        data = _parse(DiscussionReasonInputSerializer, request)
        comment = comment_hide(comment=comment, actor=request.user, **data)
        return Response(_shown(comment, request))


@extend_schema(tags=["discussion"])
class CommentReportListApi(GenericAPIView):
    queryset = CommentReport.objects.none()  # for the schema

    @extend_schema(
        operation_id="comment_reports_list",
        description=(
            "Reports on comments of the ideas you moderate (HR; racecourse "
            "admins for their racecourses), newest first."
        ),
        responses={
            200: DiscussionModerationReportOutputSerializer(many=True),
            **error_responses(400, 401, 403),
        },
    )
    def get(self, request):
        if not selectors.may_moderate(request.user):
            raise PermissionDenied("Only HR and racecourse admins moderate comments.")
        page = self.paginate_queryset(selectors.report_list(user=request.user))
        return self.get_paginated_response(
            DiscussionModerationReportOutputSerializer(page, many=True).data
        )


# --- follows --------------------------------------------------------------------


@extend_schema(tags=["discussion"])
class IdeaFollowApi(APIView):
    """Follow the idea (POST) to hear of its new comments, or stop (DELETE)."""

    @extend_schema(
        operation_id="ideas_follow",
        request=None,
        responses={
            200: DiscussionFollowOutputSerializer,
            **error_responses(401, 403, 404),
        },
    )
    def post(self, request, pk: int):
        idea = idea_selectors.idea_get_visible(user=request.user, pk=pk, content=False)
        following = follow_set(actor=request.user, idea=idea, on=True)
        return Response({"following": following})

    @extend_schema(
        operation_id="ideas_unfollow",
        responses={200: DiscussionFollowOutputSerializer, **error_responses(401, 404)},
    )
    def delete(self, request, pk: int):
        idea = idea_selectors.idea_get_visible(user=request.user, pk=pk, content=False)
        following = follow_set(actor=request.user, idea=idea, on=False)
        return Response({"following": following})


@extend_schema(tags=["discussion"])
class ChallengeFollowApi(APIView):
    """Follow the challenge (POST) to hear of new ideas for it, or stop (DELETE)."""

    @extend_schema(
        operation_id="challenges_follow",
        request=None,
        responses={200: DiscussionFollowOutputSerializer, **error_responses(401, 404)},
    )
    def post(self, request, pk: int):
        challenge = get_object_or_404(Challenge, pk=pk)
        following = follow_set(actor=request.user, challenge=challenge, on=True)
        return Response({"following": following})

    @extend_schema(
        operation_id="challenges_unfollow",
        responses={200: DiscussionFollowOutputSerializer, **error_responses(401, 404)},
    )
    def delete(self, request, pk: int):
        challenge = get_object_or_404(Challenge, pk=pk)
        following = follow_set(actor=request.user, challenge=challenge, on=False)
        return Response({"following": following})


urlpatterns = [
    path("ideas/<id:pk>/comments/", IdeaCommentsApi.as_view(), name="idea-comments"),
    path("ideas/<id:pk>/follow/", IdeaFollowApi.as_view(), name="idea-follow"),
    path(
        "challenges/<id:pk>/follow/",
        ChallengeFollowApi.as_view(),
        name="challenge-follow",
    ),
    path("comments/<id:pk>/", CommentDetailApi.as_view(), name="comment-detail"),
    path(
        "comments/<id:pk>/replies/",
        CommentRepliesApi.as_view(),
        name="comment-replies",
    ),
    path("comments/<id:pk>/report/", CommentReportApi.as_view(), name="comment-report"),
    path("comments/<id:pk>/hide/", CommentHideApi.as_view(), name="comment-hide"),
    path(
        "comment-reports/",
        CommentReportListApi.as_view(),
        name="comment-report-list",
    ),
]

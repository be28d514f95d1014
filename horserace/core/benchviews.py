"""The bare ballot endpoint `make bench` measures as the ceiling.

Mounted only when ``HORSERACE_BENCH_ENDPOINTS`` is on (``BENCH_ENDPOINTS``),
which nothing but the benchmark's gunicorn sets. It does exactly the write
``voting.screening.services.ballot_cast`` does — the same statement, the ballot's
upsert with its impression (``ballot_row_upsert``) — and nothing else: no
authentication, no permission or window check, no serializer. Whatever the
real ``POST /api/v1/ballots/`` costs beyond this view is the price of those.
"""

import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from rest_framework.response import Response
from rest_framework.views import APIView

from voting.screening.services.ballots import ballot_row_upsert


@csrf_exempt
@require_POST
def ballot_upsert(request):
    """Upsert one ballot from JSON ``{voter, idea, window, choice, reason}``."""
    try:
        data = json.loads(request.body)
        row = dict(
            voter_id=int(data["voter"]),
            idea_id=int(data["idea"]),
            window_id=int(data["window"]),
            choice=str(data["choice"]),
            reason=str(data.get("reason", "")),
        )
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest()
    ballot_row_upsert(**row, now=timezone.now())
    return JsonResponse({"choice": row["choice"]}, status=201)


class AuthenticatedUpsert(APIView):
    """The bare upsert behind the API's own door: token authentication,
    permission and throttles as every API view has them, then the same write
    for the signed-in voter, with no check and no serializer.

    Not a target: it shows what authenticating a request costs on this
    machine, the part of a ballot's price that no ballot code can remove.
    """

    def post(self, request):
        data = request.data
        try:
            row = dict(
                voter_id=request.user.pk,
                idea_id=int(data["idea"]),
                window_id=int(data["window"]),
                choice=str(data["choice"]),
                reason=str(data.get("reason", "")),
            )
        except (ValueError, KeyError, TypeError):
            return Response(status=400)
        ballot_row_upsert(**row, now=timezone.now())
        return Response({"choice": row["choice"]}, status=201)

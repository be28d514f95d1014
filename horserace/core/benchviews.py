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

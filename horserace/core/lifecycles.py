"""The roof's lifecycles: an export job's status, as data.

``move`` (``horserace.common.lifecycles``) is the one door that performs a
move and writes a ``StatusChange`` row; ``horserace.core.exports.jobs`` claims
the job under a row lock, then calls ``move``.

    export job  queued ──start──▶ running ──finish──▶ done
                                     └──────fail─────▶ failed
"""

from horserace.common.lifecycles import Lifecycle, Lifecycles, Move

from .models import ExportJob, StatusChange

_Job = ExportJob.Status

EXPORT_JOB = Lifecycle(
    model=ExportJob,
    events=StatusChange,
    moves=[
        Move("start", (_Job.QUEUED,), _Job.RUNNING),
        Move("finish", (_Job.RUNNING,), _Job.DONE),
        Move("fail", (_Job.RUNNING,), _Job.FAILED),
    ],
)


LIFECYCLES = Lifecycles(EXPORT_JOB)

#: The one door: perform a move on a locked export job through its table.
move = LIFECYCLES.move

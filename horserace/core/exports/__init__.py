"""Exports as CSV and Excel: one registry of kinds, two writers, jobs for big ones.

``registry``  ``ExportKind`` (a header and rows for a user and parameters)
              and the one registry of kinds; ``kinds/`` registers each
``cells``     every cell goes through ``safe_cell`` (formula injection)
``writers``   CSV (streamed) and XLSX (openpyxl, write-only)
``services``  inline responses, ``ExportJob`` runs (Celery) and the purge
``views``     ``/exports/`` in the browser; ``apis``: ``/api/v1/exports/``

The roof: kinds may read ``voting``, ``ideas`` and ``contests``; what a
requester may see is asked of ``ideas.visibility`` and the rules, as
everywhere else.
"""

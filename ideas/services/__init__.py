"""Writes for ideas. Every function is keyword-only, typed and atomic.

Services check permissions themselves (through ``ideas.rules``), so the
browser and the API cannot disagree about who may do what.
"""

"""Realization: adopted projects, the working time their departments approve,
and investment released in tranches against milestone reviews."""

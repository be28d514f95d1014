"""Gestation: teams develop their projects with resources and a trainer."""

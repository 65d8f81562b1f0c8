"""Workflows: transition tables and the one function that applies a transition."""

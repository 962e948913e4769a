"""Reporters: pure functions from results to a file or text."""

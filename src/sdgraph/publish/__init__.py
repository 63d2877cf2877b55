"""Publish stage: everything that turns the built graph into files or pushes it elsewhere."""

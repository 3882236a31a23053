"""Loaders: turn outside files into validated tables for the graph, and make synthetic ones."""

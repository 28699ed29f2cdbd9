"""Importers: turn raw source files into rows of the record. Each takes the source's path."""

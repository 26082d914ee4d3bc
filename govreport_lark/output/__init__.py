"""Output and the commands: JSON, the corpus check, batch runs, the Python API and the CLI."""

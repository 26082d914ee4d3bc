"""Fitting rows to the template's cells and validating them: the builders of sections 二,
三 and 四, the template's detection and its arithmetic."""

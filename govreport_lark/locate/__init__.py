"""Locating the tables: the outline of the text, the grids read by column, the regions the
table grammars read, and the title, agency, year and date."""

"""The table grammars run over their regions: tokens to rows (``rows``), cell tokens
(``cells``), and what no rule took (``tables``)."""

"""Earlier implementations kept only so tests can hold their replacements equal to them."""

"""Observatory pipeline."""

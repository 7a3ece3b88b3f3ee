"""Publish stage helpers: what the desk offers editors to publish (the draft sentence in the
observatory's language) and the locale data it needs. Pure: no store, no network."""

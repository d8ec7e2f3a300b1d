"""Meetings, the agenda before them and the reflection window after them."""

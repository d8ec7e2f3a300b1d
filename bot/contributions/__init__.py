"""Ideas: capture, following, the home view and the record of involvement."""

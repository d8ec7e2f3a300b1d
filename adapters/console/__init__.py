"""The console: the whole bot in a terminal, no credentials needed."""

"""The seam between adapters and the engine: neutral events, messages, ports and commands."""

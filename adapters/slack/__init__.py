"""Slack: translate Events API / slash command / interactivity payloads, render Block Kit."""

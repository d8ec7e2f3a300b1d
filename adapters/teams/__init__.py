"""Microsoft Teams: translate Bot Framework activities, render Adaptive Cards 1.5."""

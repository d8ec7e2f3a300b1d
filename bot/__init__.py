"""The platform-neutral Coproduce engine: domain rules and the words people read."""

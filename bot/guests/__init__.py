"""Guests: people with no Slack or Teams account, who take part by email and a private page.
The engine invites, lists and removes them; adapters/guests/ sends their email and serves the
page. A guest is a person like any other, reached on the `guests` platform."""

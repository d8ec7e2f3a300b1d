"""Guests: the third real platform. People with no Slack or Teams account take part by email
(adapters/guests/messenger.py, SMTP through aiosmtplib) and a private page that works without
JavaScript (adapters/guests/routes.py). The translator turns the page's forms into neutral
events; the renderer turns neutral messages into emails and sections of the page."""

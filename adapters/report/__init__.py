"""The impact report's web pages (`/report`, `/report/*.csv`) for facilitators signed in by a
link from `/coproduce report`. Figures and words come from bot/report/; this folder draws them:
Jinja2 templates with autoescaping, charts drawn on the server, CSV files, security headers."""

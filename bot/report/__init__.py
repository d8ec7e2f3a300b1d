"""The impact report: who may see it (signed one-time links, then a session), the periods it
covers, and the figures it shows, in words from the catalogue. The web pages are drawn by
adapters/report/."""

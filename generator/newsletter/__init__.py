"""Newsletters: each issue as e-mail files (HTML, plain text, .eml, links.csv), its tracked
links and short links, the e-mail lint and the SMTP test send."""

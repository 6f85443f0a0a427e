"""Newsletters: each issue as e-mail files (HTML, plain text, .eml, links.csv), its tracked
links and short links, public addresses for customer issues, the e-mail lint, and sending
(test sends and resumable list sends over SMTP)."""

"""Markdown rendering: one markdown-it-py engine for the site and the e-mail.

Each rule that changes tokens lives in its own module (source lines, links, images);
`engine` puts them together. Parsing is per document and pure; rendering takes a resolver
that turns `.md` links into URLs for the page being written.
"""

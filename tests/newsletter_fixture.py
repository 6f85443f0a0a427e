"""A newsletter issue and configuration that the newsletter tests share."""

from __future__ import annotations

CONFIG = """\
site_name: Test Playbook
site_url: https://intranet.example.com/playbook/
languages: {en: English, es: Español}
newsletter:
  from_address: news@example.com
  from_name: Example News
  reply_to: team@example.com
  organisation: Example Ltd
  unsubscribe: "*|UNSUB|*"
tracking:
  short_links: {short}
"""

ISSUE_FRONT = """\
title: "Issue 3: Spring"
type: newsletter
issue: 3
date: 2026-04-01
subject: Spring is here
preheader: Three things to do this spring.
summary: The spring issue.
featured: [campaigns/spring.md]
"""

ISSUE_BODY = """\
Hello,

[Book now](https://shop.example/spring?ref=nl#slots) or see the
[partner offer](https://partner.example/?utm_source=partner).
Read [the plan](../campaigns/spring.md#goals), write to [us](mailto:team@example.com),
call [the shop](tel:+34123456), or [leave quietly](https://shop.example/private "notrack").

- one
- two
"""


def config(short_links: bool = False) -> str:
    return CONFIG.replace("{short}", "true" if short_links else "false")

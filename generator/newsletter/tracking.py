"""Link tracking: UTM tagging, stable link ids, short-link codes and share links.

Pure functions of their arguments (no I/O, no model): the newsletter stage and the site
templates call them; the Markdown engine reaches them through `LinkResolver.rewrite_external`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from generator.urls import slugify

SOCIAL_MEDIUM = "social"
# Merge tags of the common e-mail services: *|UNSUB|*, {{ x }}, {% x %}, %x_y%, [x], {$x}.
# `%name%` needs three or more letters so that percent-encoding (%E2%82) is not taken for one.
MERGE_TAG = re.compile(
    r"\*\|.+?\|\*|\{\{.*?\}\}|\{%.*?%\}|%%?[A-Za-z_][A-Za-z_.]{2,}%%?|\[[A-Za-z_][\w.-]*\]|\{\$.*?\}"
)
UNSUBSCRIBE = re.compile(r"unsub|opt-?out|list-manage|manage-?preferences", re.IGNORECASE)
SHORT_CODE_LENGTH = 7
_BASE32 = "abcdefghijkmnpqrstuvwxyz23456789"  # no l, o, 0, 1: readable when typed


def is_trackable(url: str) -> bool:
    """True for an http(s) link that may carry UTM parameters.

    `mailto:`, `tel:`, anchors, merge tags and unsubscribe links are left exactly as written.
    """
    if not url.lower().startswith(("http://", "https://")):
        return False
    return not (MERGE_TAG.search(url) or UNSUBSCRIBE.search(url))


def tag_url(url: str, params: Mapping[str, str]) -> str:
    """`url` with `params` added to its query; existing parameters (any `utm_*`) win.

    The rest of the query keeps its order and its encoding, the fragment stays at the end.
    """
    parts = urlsplit(url)
    present = {name for name, _ in parse_qsl(parts.query, keep_blank_values=True)}
    added = urlencode([(name, value) for name, value in params.items() if name not in present and value])
    if not added:
        return url
    query = f"{parts.query}&{added}" if parts.query else added
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", query, parts.fragment))


def utm_params(source: str, medium: str, campaign: str, content: str = "") -> dict[str, str]:
    return {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign, "utm_content": content}


def link_id(text: str, url: str) -> str:
    """A stable `utm_content` for one link: its text as a slug plus a short hash of its target.

    The same link keeps its id when other links are added, moved or removed.
    """
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:6]
    words = slugify(text)[:30].strip("-") or "link"
    return f"{words}-{digest}"


def short_code(target: str) -> str:
    """A short, URL-safe code for `target` (the same target always gets the same code)."""
    number = int.from_bytes(hashlib.sha256(target.encode("utf-8")).digest()[:8], "big")
    chars = []
    for _ in range(SHORT_CODE_LENGTH):
        number, index = divmod(number, len(_BASE32))
        chars.append(_BASE32[index])
    return "".join(chars)


@dataclass(frozen=True)
class ShareLink:
    """A "share this" link for one network; `url` opens the network's share dialog."""

    network: str
    label: str
    url: str


NETWORK_LABELS = {"linkedin": "LinkedIn", "x": "X", "facebook": "Facebook", "whatsapp": "WhatsApp", "email": "E-mail"}


def _q(value: str) -> str:
    return quote(value, safe="")


def share_url(network: str, page_url: str, title: str) -> str:
    """The share-dialog URL of `network` for `page_url` (already tagged)."""
    if network == "linkedin":
        return f"https://www.linkedin.com/sharing/share-offsite/?url={_q(page_url)}"
    if network == "x":
        return f"https://x.com/intent/post?url={_q(page_url)}&text={_q(title)}"
    if network == "facebook":
        return f"https://www.facebook.com/sharer/sharer.php?u={_q(page_url)}"
    if network == "whatsapp":
        return f"https://wa.me/?text={_q(f'{title} {page_url}')}"
    if network == "email":
        return f"mailto:?subject={_q(title)}&body={_q(page_url)}"
    raise ValueError(f"unknown share network {network!r}")


def share_links(page_url: str, title: str, networks: list[str], campaign: str) -> list[ShareLink]:
    """One share link per network; the shared URL carries `utm_source=<network>` and `utm_medium=social`."""
    links = []
    for network in networks:
        tagged = tag_url(page_url, utm_params(network, SOCIAL_MEDIUM, campaign, "share"))
        links.append(ShareLink(network, NETWORK_LABELS[network], share_url(network, tagged, title)))
    return links


def unsubscribe_token(secret: str, address: str) -> str:
    """A recipient's unsubscribe token: HMAC-SHA256 of the lower-cased address with `secret`,
    the first 16 bytes in URL-safe base64 without padding (22 characters). The unsubscribe
    endpoint recomputes it to check a request."""
    mac = hmac.new(secret.encode("utf-8"), address.strip().lower().encode("utf-8"), hashlib.sha256)
    return base64.urlsafe_b64encode(mac.digest()[:16]).decode("ascii").rstrip("=")

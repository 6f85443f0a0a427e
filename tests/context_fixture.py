"""The site context a build renders with, for tests that call generators directly."""

from __future__ import annotations

from pathlib import Path

from generator.build.cache import CacheState
from generator.build.pipeline import BuildOptions, load_playbook, site_context, site_generators
from generator.errors import Problems
from generator.site.context import SiteContext
from generator.site.presence import presence


def context_of(root: Path, options: BuildOptions) -> SiteContext:
    """The site context a build without a cache would render with."""
    problems = Problems()
    playbook = load_playbook(root, options, problems)
    return site_context(playbook, site_generators(presence(playbook)), problems, None, CacheState(), {})

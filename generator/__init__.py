"""Playbook: compile a Markdown marketing playbook into a static site and e-mail newsletters."""

__version__ = "0.1.0"

"""Stage 1, configuration: `playbook.yml` (settings) or an MkDocs project's `mkdocs.yml`
(mkdocs_yml), validated into one `Config`. Reads nothing from content."""

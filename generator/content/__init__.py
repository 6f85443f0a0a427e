"""Stage 2, content: read the files (reader, yamlsource, dates), check front matter against
the document types (doctypes, schema, validate, problems), link follow-up reports
(followup) and give the one validated model of the playbook (model) that every output reads."""

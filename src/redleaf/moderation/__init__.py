"""Bilingual moderation: policies, classifiers, reports, cases, decisions and the audit log
(docs/architecture.md, "Moderation")."""

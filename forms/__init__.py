"""WTForms / Flask-WTF forms (server-side validation, French messages)."""

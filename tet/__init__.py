"""TeT back-office: the domain (models, permissions, services), testable without HTTP."""

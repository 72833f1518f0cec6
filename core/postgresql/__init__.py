"""Django's PostgreSQL backend, with a check on pooled connections (``base``)."""

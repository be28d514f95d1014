"""The company directory: departments and people, read by every employee and
kept in step with HR's employee file (``import_employees``, the upload page)."""

"""The ground floor every app stands on: model bases, permissions, API and page
helpers, validators, converters, parsers and upload handling. It imports no app
of the race."""

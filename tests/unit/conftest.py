"""Unit tests: `sitebuild` and `siteplugin` are this checkout's (tests/conftest.py puts its scripts/ first)."""

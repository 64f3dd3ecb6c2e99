"""Git: every call to git (GitPython or the command line) lives in this package."""

"""Suite-wide plugins: the leak guard fails the run when a test leaves a process running."""
pytest_plugins = ["leakguard"]

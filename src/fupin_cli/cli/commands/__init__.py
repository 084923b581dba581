"""One module per command group; each has ``register(app, report_app)``."""

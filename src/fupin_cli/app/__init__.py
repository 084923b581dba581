"""The application: a run's context, recording, checks and explanations — typed results, no CLI wording."""

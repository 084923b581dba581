"""Plans in and out: located sources (YAML files), the one validator, the cached loader."""

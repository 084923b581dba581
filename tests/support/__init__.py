"""Test helpers that stand in for the world: loopback servers and a fake clock."""

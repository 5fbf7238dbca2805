"""Deployment material: the nginx locations the guide ships, and a helper that runs them (tests, benchmarks)."""

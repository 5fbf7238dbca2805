"""Benchmarks: each scenario reports ratios against a baseline measured in the same run."""

"""Speed figures for the README (`make bench` = `python -m bench`): loopback only, bounded in count and time.

Benchmarks are not tests: nothing here asserts a speed goal. Each run starts its own sandbox in a temp folder.
"""

"""Pages of benchmarking: indicator systems (systems.py), a project's 对标 (project.py), the
campaign's targets (targets.py) and the statistics (statistics.py)."""

"""Pieces shared by the benchmark suites: workload, servers, timing, reports."""

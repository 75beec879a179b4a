"""The load test's councils. A person at work clicks about every 15 seconds (think time 8-22 s), so 250
people signed in at an average council make about 17 requests a second, and a large council's 1,000
about 67. Each profile runs against a caseload of its own size (closewell.demo.caseload.PRESETS)."""

PROFILES = {
    "average": {"children": 15_000, "users": 250, "think": (8.0, 22.0), "p95_target_ms": 100},
    "large": {"children": 100_000, "users": 1_000, "think": (8.0, 22.0), "p95_target_ms": 300},
}

"""A province's evaluation of its district offices (BHXH cấp huyện, BHXH cơ sở since 2025):
its versioned criteria, its cycle, the sheets, the district cluster heads' summaries and the
province's decision (4268 A.I.5)."""

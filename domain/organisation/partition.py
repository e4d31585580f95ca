"""A province's district partition (Cụm thi đua cấp huyện), letter 4268/BHXH-TĐKT A.I.5: f(N)
clusters for N district offices, every office in exactly one. The rule GroupYear holds each
partition to before its event (publish_partition, import_list)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

from domain.kernel.errors import RuleViolation

# Letter 4268, A.I.5: (lowest N, number of clusters), read from the top.
DEFAULT_DISTRICT_CLUSTER_TABLE: tuple[tuple[int, int], ...] = (
    (25, 5), (20, 4), (15, 3), (10, 2), (0, 1))


def district_cluster_count(n: int,
                           table: Sequence[Sequence[int]] = DEFAULT_DISTRICT_CLUSTER_TABLE) -> int:
    """f(N): how many district clusters a province with N district offices forms."""
    for lowest, clusters in sorted(table, key=lambda row: -row[0]):
        if n >= lowest:
            return clusters
    return 1


def check_partition(province_id: str, effective: str, active: Collection[str],
                    clusters: Sequence[Mapping[str, Any]], code_of: Callable[[str], str],
                    field: str = "clusters") -> None:
    """f(N) clusters, N the province's district offices active on ``effective``; every
    one of them in exactly one cluster, no other unit, no cluster empty. ``clusters``
    hold unit ids; ``code_of`` names a unit (or the province) by its code."""
    n = len(active)
    expected = district_cluster_count(n)
    if len(clusters) != expected:
        raise RuleViolation(
            f"{code_of(province_id)} has N = {n} active district offices on {effective}; "
            f"letter 4268/BHXH-TĐKT (A.I.5) requires f({n}) = {expected} district "
            f"cluster(s), not {len(clusters)}.", field=field, rule="district_cluster_count",
            errors={field: [f"expected {expected} clusters for N = {n}"],
                    "district_count": [n], "expected_clusters": [expected]})
    seen: dict[str, str] = {}
    for ci, c in enumerate(clusters):
        for mi, uid in enumerate(c["members"]):
            where = f"{field}[{ci}].members[{mi}]"
            if uid not in active:
                raise RuleViolation(f"{code_of(uid)} is not an active district office of "
                                    f"{code_of(province_id)} on {effective}.", field=where,
                                    rule="district_active_on_date")
            if uid in seen:
                raise RuleViolation(f"{code_of(uid)} is listed in two clusters "
                                    f"({seen[uid]} and {c['code']}); every district office "
                                    "is in exactly one cluster.", field=where,
                                    rule="district_in_exactly_one_cluster")
            seen[uid] = c["code"]
        if not c["members"]:
            raise RuleViolation(f"Cluster {c['code']} has no members.",
                                field=f"{field}[{ci}].members", rule="cluster_not_empty")
    left_out = set(active) - set(seen)
    if left_out:
        names = sorted(code_of(u) for u in left_out)
        raise RuleViolation(f"Every district office of {code_of(province_id)} must be in "
                            f"exactly one cluster; not placed: {', '.join(names)}.",
                            field=field, rule="district_in_exactly_one_cluster")

"""The generator's first phase: the sample organisation (and, for a year after 2025, the
2025 decisions), the users of each unit, and each year's blocks, provincial clusters and
district partitions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from domain.organisation.units import unit_id
from domain.sample import organisation as org
from domain.sample.evaluation import sample_cycle_setup
from domain.sample.generator.base import _NAMES, GeneratorBase, moment
from domain.sample.loader import load_sample, record_decisions
from domain.sample.years import groups_of_year, world_of_year


class OrganisationPhase(GeneratorBase):
    """Units, users and groups."""

    def organisation(self, first_year: int) -> None:
        chosen = org.PROVINCES[:self.limit] if self.limit else org.PROVINCES
        later = first_year > org.SAMPLE_YEAR
        if self.app.recorder.max_notification_id() in (None, 0):
            if later and self.limit:
                raise ValueError(f"The {first_year} sample stands on the 2025 reorganisation, "
                                 "which needs every province: leave out --provinces.")
            self.fresh = True
            self.say("organisation: central units, provinces, district offices")
            self.cal.now = moment(date(first_year - 1, 11, 1) if later
                                  else date(first_year, 1, 2), 8)
            loaded = load_sample(self.app, self.admin, year=org.SAMPLE_YEAR,
                                 provinces=self.limit, progress=lambda m: None)
            self.counts.units += loaded["central"] + loaded["provinces"] + loaded["districts"]
            self.counts.groups += loaded["blocks"] + sum(
                1 for _, _, m in org.PROVINCIAL_CLUSTERS
                if any(p in {c for c, _, _ in chosen} for p in m)) + sum(
                org.district_cluster_count(n) for _, _, n in chosen)
            if later:
                self.say("organisation: the 2025 decisions")
                self.counts.extra["unit_changes"] = record_decisions(self.app, self.admin)
        self.limited = {c for c, _, _ in chosen if self.app.exists(unit_id(c))}
        self.on_year(first_year)

    def on_year(self, year: int) -> list[str]:
        """The units of ``year`` (domain.sample.years): who the year's acts are about. Returns
        the codes new since the last year (to be staffed)."""
        world = world_of_year(year)
        before = set(getattr(self, "known", set()))
        _NAMES.update({o.code: o.name for o in world.offices.values()})
        if year <= org.SAMPLE_YEAR:
            self.provinces = [c for c, _, _ in org.PROVINCES if c in self.limited]
        else:  # the provinces of the year; with a limit, those the chosen 2024 ones became
            live = {o.code for o in world.active("province")}
            if self.limit:
                live &= {world.successor(c) for c in self.limited}
            self.provinces = sorted(live)
        self.centrals = [o.code for o in world.active("central")]
        self.districts = {p: [o.code for o in world.districts_of(p)] for p in self.provinces}
        self.known = {*self.centrals, *self.provinces,
                      *(d for p in self.provinces for d in self.districts[p])}
        self.standing_office = sample_cycle_setup(year)["standing_office_code"]
        return sorted(self.known - before) if before else []

    def people(self, first_year: int) -> None:
        self.say("users")
        self.cal.now = max(self.cal.now, moment(self.staffed_on(first_year), 8))
        self.user(f"thuongtruc.{self.standing_office.lower()}", ["standing_office"],
                  self.standing_office)
        self.user("kiemtoan.noibo", ["auditor"], None)
        self.user("thanhtra.kiemtra", ["inspector"], None)
        leaders = 5
        self.leader_of: dict[str, str] = {}
        for i in range(leaders):
            mine = self.centrals[i::leaders]
            name = f"pho.tgd{i + 1}"
            held = set(self.user(name, ["leader"], None, assigned=mine).assigned_units)
            for c in self.centrals:  # as registered (a user of an earlier year keeps hers)
                if c in held or str(unit_id(c)) in held:
                    self.leader_of[c] = name
        self.staff([*self.centrals, *self.provinces,
                    *(d for p in self.provinces for d in self.districts[p])])

    def staff(self, codes: list[str]) -> None:
        """An officer and a unit head for each unit."""
        for code in codes:
            self.user(f"cb.{code.lower()}", ["officer"], code)
            self.user(f"ld.{code.lower()}", ["unit_head"], code)

    def groups(self, year: int) -> None:
        """The year's blocks, provincial clusters and district partitions (formed again each
        year after the first: membership is per year), on the units of that year."""
        existing = self.app.group_year(year).groups
        if existing:  # formed before (by the sample loader or by hand): take them as they are
            ids = {m for g in existing.values() if g["kind"] == "provincial_cluster"
                   for m in g["members"]}
            candidates = (org.PROVINCES if year <= org.SAMPLE_YEAR else
                          [(c, "", 0) for c in self.provinces])
            adopt = [c for c, _, _ in candidates if str(unit_id(c)) in ids]
            new = [c for c in adopt if c not in self.provinces]
            if new:
                self.limited |= set(new)
                self.on_year(year)
                self.staff([*new, *(d for p in new for d in self.districts[p])])
            return
        self.say(f"{year}: blocks, provincial clusters, district partitions")
        formed = (date(year - 1, 11, 25) if self.first_on_new_structure(year)
                  else date(year, 2, 12))
        self.cal.now = max(self.cal.now, moment(formed, 8))
        planned = groups_of_year(year, provinces=set(self.provinces))
        for kind, listed in (("block", planned.blocks),
                             ("provincial_cluster", planned.provincial_clusters)):
            for code, name, members in listed:
                self.app.form_group(self.office, year=year, kind=kind, code=code, name=name,
                                    members=members)
                self.counts.groups += 1
        for p in self.provinces:
            clusters = [dict(c, members=list(c["members"])) for c in planned.partitions[p]]
            if len(clusters) > 1 and self.rng.random() < 0.15:  # the province's own choice
                i = self.rng.randrange(len(clusters) - 1)
                if len(clusters[i]["members"]) > 1:
                    clusters[i + 1]["members"].insert(0, clusters[i]["members"].pop())
            self.cal.now += timedelta(minutes=7)
            self.app.publish_partition(
                self.head_of(p), year=year, province_code=p, clusters=clusters,
                scale={"district_offices": len(self.districts[p]),
                       "thu_ty_dong": str(self.rng.randint(800, 40000))},
                decision={"number": f"{self.rng.randint(10, 999)}/QĐ-BHXH",
                          "date": f"{year}-02-10"})
            self.counts.groups += len(clusters)

    def year_groups(self, year: int) -> list[dict[str, Any]]:
        codes = {str(unit_id(c)): c for c in [*self.centrals, *self.provinces,
                                              *(d for p in self.provinces
                                                for d in self.districts[p])]}
        out = []
        for g in self.app.group_year(year).groups.values():
            members = [codes[m] for m in g["members"] if m in codes]
            if members:
                out.append({**g, "codes": members})
        return out

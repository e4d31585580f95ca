"""A group's documents as DOCX, generated from a generated year and read back with
python-docx: the election minutes (biên bản) and the provincial cluster head's summary, their
figures equal to the API's own reads, in the decree's format, stating the log position they
were made from; never who voted for whom."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

from web.resources.documents import minutes as minutes_doc
from web.resources.documents import summary as summary_doc
from web.resources.documents.nd30 import read_back

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def fetch(api: Any, path: str, status: int = 200) -> Any:
    r = api.get(path)
    assert r.status_code == status, r.get_data()[:300]
    return r


def table_with(doc: dict[str, Any], header: tuple[str, ...]) -> list[list[str]]:
    found = [t for t in doc["tables"] if t and t[0] == list(header)]
    assert len(found) == 1, (header, [t[0] for t in doc["tables"]])
    return found[0][1:]


def test_the_minutes_are_the_recorded_election(year_api):
    api = year_api
    elections = fetch(api, "/elections?year=2024&status=declared&page_size=500").get_json()
    assert elections["items"], "the generated year holds declared elections"
    for item in elections["items"][:3]:
        election = fetch(api, f"/elections/{item['id']}").get_json()
        r = fetch(api, f"/documents/elections/{item['id']}.docx")
        assert r.headers["Content-Type"] == DOCX
        assert unquote(r.headers["Content-Disposition"].split("UTF-8''")[1]).startswith(
            "Biên bản bầu")
        doc = read_back(r.get_data())
        text = "\n".join(doc["paragraphs"])
        # the decree's letterhead: the group as issuer, the motto, place and date
        day = election["meeting_date"]
        y, m, d = day.split("-")
        assert "BẢO HIỂM XÃ HỘI VIỆT NAM" in doc["header_cells"][0]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in doc["header_cells"][1]
        assert f"{election['place']}, ngày {d} tháng {m} năm {y}" in doc["header_cells"][1]
        assert "BIÊN BẢN" in text
        # present members, as the API lists them
        present = table_with(doc, minutes_doc.HEADERS)
        assert [row[1] for row in present] == election["present"]
        assert f"có mặt {len(election['present'])} đơn vị" in text
        assert f"{election['members']} đơn vị thành viên" in text
        # each seat: its candidates with the votes each received, and its winner
        votes_tables = [t[1:] for t in doc["tables"] if t and t[0] == list(
            minutes_doc.VOTE_HEADERS)]
        seats = [s for s in ("head", "deputy") if any(
            c["seat"] == s for c in election["candidates"])]
        assert len(votes_tables) == len(seats)
        for seat, rows in zip(seats, votes_tables, strict=True):
            api_votes = {v["unit_code"]: v["votes"] for v in election["seats"][seat]["votes"]}
            assert {row[1]: int(row[3]) for row in rows} == api_votes, seat
            winner = election["seats"][seat]["winner"]
            if winner:
                assert f"Kết quả: {winner} - " in text and "trúng cử" in text
        # nothing but the letterhead, the present members, the votes and the signatures:
        # no table of voters, and no voter's name beside a choice
        assert len(doc["tables"]) == 3 + len(seats)
        if election["rules"]["secret_ballot"]:
            assert "bỏ phiếu kín" in text
        position = int(r.headers["X-Log-Position"])
        assert position > 0 and doc["comments"] == f"Lập từ nhật ký sự kiện đến vị trí {position}"
        assert f"đến vị trí {position}." in text
        again = read_back(fetch(api, f"/documents/elections/{item['id']}.docx").get_data())
        assert again == doc


def test_the_summary_is_the_clusters_sent_summary(year_api):
    api = year_api
    summaries = fetch(api, "/evaluation/cluster-summaries?year=2024").get_json()["items"]
    assert summaries, "the generated year holds cluster summaries"
    table = fetch(api, "/evaluation/cycles/2024/table").get_json()
    names = {row["code"]: row["name"] for row in table["rows"]}
    for s in summaries:
        r = fetch(api, f"/documents/cluster-summaries/2024/{s['group_id']}.docx?place=Hải Phòng")
        assert r.headers["Content-Type"] == DOCX
        doc = read_back(r.get_data())
        text = "\n".join(doc["paragraphs"])
        assert "BÁO CÁO" in text and "Kính gửi: Thường trực Hội đồng" in text
        assert "Hải Phòng, ngày" in doc["header_cells"][1]
        assert f"Số:      /BC-{s['group_code']}" in doc["header_cells"][0]
        rows = table_with(doc, summary_doc.HEADERS)
        assert len(rows) == len(s["rows"]) > 0
        for n, (got, want) in enumerate(zip(rows, s["rows"], strict=True), start=1):
            assert got == [str(n), want["code"], names[want["code"]], str(want["count"]),
                           want["sum"] or "", want["average"] or "", str(want["nominations"]),
                           ", ".join(want["nominators"])]
        if s["not_sent"]:
            listed = table_with(doc, summary_doc.NOT_SENT_HEADERS)
            assert [(row[1], row[2]) for row in listed] == [
                (x["member_code"], x["subject_code"]) for x in s["not_sent"]]
        assert f"gửi lần thứ {s['sends']}" in text
        assert f"{len(s['members'])} đơn vị thành viên" in text
        position = int(r.headers["X-Log-Position"])
        assert position > 0 and doc["comments"] == f"Lập từ nhật ký sự kiện đến vị trí {position}"


def test_no_minutes_before_a_result_and_no_summary_before_it_is_sent(api):
    from domain.organisation.groups import group_id
    from tests.support.evaluation import YEAR, build_organisation, open_cycle

    build_organisation(api)
    open_cycle(api)

    gid = group_id(YEAR, "provincial_cluster", "C1")
    opened = api.post("/elections", json={"group_id": gid, "year": YEAR,
                                          "meeting_date": "2024-12-15", "place": "Hà Nội",
                                          "present": ["P01", "P02", "P03"]})
    assert opened.status_code == 201, opened.get_json()
    eid = opened.get_json()["id"]
    r = api.get(f"/documents/elections/{eid}.docx")
    assert r.status_code == 422 and r.get_json()["rule"] == "election_concluded"
    annulled = api.post(f"/elections/{eid}/annulment", json={"reason": "Thiếu thành viên."})
    assert annulled.status_code in (200, 201), annulled.get_json()
    doc = read_back(fetch(api, f"/documents/elections/{eid}.docx").get_data())
    assert "Vòng bầu bị hủy. Lý do: Thiếu thành viên." in doc["paragraphs"]
    r = api.get("/documents/elections/00000000-0000-0000-0000-000000000000.docx")
    assert r.status_code == 404 and r.get_json()["rule"] == "exists"
    r = api.get(f"/documents/cluster-summaries/{YEAR}/{gid}.docx")
    assert r.status_code == 404 and r.get_json()["rule"] == "exists"
    # a reader without a role reads no document
    api.user("nobody", ["officer"], "P01")
    revoked = api.delete("/users/nobody/roles/officer?reason=Chuyển công tác")
    assert revoked.status_code == 200, revoked.get_json()
    r = api.get(f"/documents/elections/{eid}.docx", "nobody")
    assert r.status_code == 403 and r.get_json()["rule"] == "registry.read"

"""A group's election minutes (biên bản bầu Khối trưởng, Khối phó / Cụm trưởng, Cụm phó) as
an editable DOCX in the format of Nghị định 30/2020/NĐ-CP: the meeting, the members present
against the quorum, the rules, each seat's candidates with the votes each received, the
winners. Never who voted for whom: the record keeps counts per candidate, and a secret
ballot's voter is never linked to a choice (docs/decisions.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from web.resources.documents.nd30 import (
    centred,
    grid,
    letterhead,
    made_from,
    new_document,
    para,
    saved,
    signatures,
)

SEAT_WORDS = {"block": ("Khối trưởng", "Khối phó"),
              "provincial_cluster": ("Cụm trưởng", "Cụm phó"),
              "district_cluster": ("Cụm trưởng", "Cụm phó")}
GROUP_WORDS = {"block": "Khối thi đua", "provincial_cluster": "Cụm thi đua",
               "district_cluster": "Cụm thi đua cấp huyện"}
STATUS = {
    "elected": "trúng cử",
    "tie": "không có đơn vị trúng cử: các đơn vị dẫn đầu bằng phiếu nhau",
    "no_majority": "không có đơn vị trúng cử: không đơn vị nào được quá số phiếu quy định",
    "no_ballots": "không có đơn vị trúng cử: không có phiếu bầu",
    "no_candidates": "không có đề cử",
    "no_quorum": "không tiến hành bầu: không đủ số đơn vị có mặt theo quy định",
}
HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị")
VOTE_HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị", "Số phiếu bầu")


def fraction(text: str) -> str:
    """'2/3' -> 'hai phần ba (2/3)' where the words are known."""
    known = {"2/3": "hai phần ba", "1/2": "một phần hai", "3/4": "ba phần tư"}
    return f"{known[text]} ({text})" if text in known else text


def seat_names(kind: str | None) -> dict[str, str]:
    head, deputy = SEAT_WORDS.get(kind or "", ("Trưởng", "Phó"))
    return {"head": head, "deputy": deputy}


def render(minutes: dict[str, Any], position: int) -> bytes:
    """The minutes of a declared (or annulled) election, as DOCX bytes."""
    kind = minutes["group_kind"]
    seats = seat_names(kind)
    group = minutes["group_name"] or minutes["group_code"]
    day: date = minutes["meeting_date"]
    title = f"Biên bản bầu {seats['head']}, {seats['deputy']} {group} năm {minutes['term']}"
    doc = new_document(title=title, subject=f"{GROUP_WORDS.get(kind or '', 'Nhóm')} "
                       f"{minutes['group_code']}, năm {minutes['year']}", position=position)
    letterhead(doc, [("BẢO HIỂM XÃ HỘI VIỆT NAM", {"size": 13}),
                     (group.upper(), {"bold": True, "size": 13}), ("", {}),
                     (f"Số:      /BB-{minutes['group_code']}", {"size": 13})],
               minutes["place"], day)
    para(doc, "")
    centred(doc, "BIÊN BẢN", bold=True, space_after=0)
    centred(doc, f"Hội nghị bầu {seats['head']}, {seats['deputy']} nhiệm kỳ năm "
                 f"{minutes['term']}", bold=True)
    para(doc, f"Thời gian: ngày {day.day:02d} tháng {day.month:02d} năm {day.year}, tại hội "
              f"nghị tổng kết năm {minutes['year']} của {group} (vòng bầu thứ "
              f"{minutes['round']}).")
    para(doc, f"Địa điểm: {minutes['place']}.")

    rules, quorum = minutes["rules"], minutes["quorum"] or {}
    present = minutes["present"]
    para(doc, "I. THÀNH PHẦN", bold=True)
    enough = "đủ" if quorum.get("met", True) else "không đủ"
    para(doc, f"{group} có {minutes['members']} đơn vị thành viên; có mặt {len(present)} đơn vị, "
              f"{enough} số đơn vị theo quy định (tối thiểu {fraction(rules['quorum'])} số "
              "đơn vị thành viên). Các đơn vị có mặt:")
    grid(doc, HEADERS, [[str(n), u["code"], u["name"]] for n, u in enumerate(present, 1)])

    para(doc, "")
    para(doc, "II. NỘI DUNG", bold=True)
    way = "bỏ phiếu kín" if rules.get("secret_ballot", True) else "biểu quyết công khai"
    para(doc, f"Hình thức bầu: {way}. Đơn vị trúng cử khi được quá "
              f"{fraction(rules['majority'])} số phiếu bầu hợp lệ của vị trí.")
    for number, seat in enumerate(("head", "deputy"), start=1):
        s = minutes["seats"][seat]
        para(doc, f"{number}. Bầu {seats[seat]}: {len(s['candidates'])} đơn vị được đề cử; "
                  f"{s['ballots']} phiếu bầu.", bold=True)
        if s["candidates"]:
            grid(doc, VOTE_HEADERS, [[str(n), c["code"], c["name"], str(c["votes"])]
                                     for n, c in enumerate(s["candidates"], start=1)])
        outcome = STATUS.get(s["status"] or "", s["status"] or "chưa kiểm phiếu")
        winner = s["winner"]
        para(doc, f"Kết quả: {winner['code']} - {winner['name']} {outcome}." if winner
             else f"Kết quả: {outcome}.")

    para(doc, "III. KẾT LUẬN", bold=True)
    if minutes["status"] == "annulled":
        para(doc, f"Vòng bầu bị hủy. Lý do: {str(minutes['annul_reason']).rstrip('.')}.")
    else:
        elected = [f"{seats[seat]}: {s['winner']['code']} - {s['winner']['name']}"
                   for seat, s in minutes["seats"].items() if s["winner"]]
        if elected:
            para(doc, f"Hội nghị thống nhất kết quả bầu: {'; '.join(elected)}; nhiệm kỳ năm "
                      f"{minutes['term']}, nhận nhiệm vụ ngay sau khi được bầu chọn.")
        else:
            para(doc, "Hội nghị không bầu được đơn vị nào; sẽ tổ chức bầu lại.")
    para(doc, "Biên bản được lập và thông qua tại hội nghị.", italic=True)
    signatures(doc, [("THƯ KÝ", {"bold": True, "size": 14}), ("", {}), ("", {})],
               [("CHỦ TRÌ HỘI NGHỊ", {"bold": True, "size": 14}), ("", {}), ("", {})])
    made_from(doc, position)
    return saved(doc)

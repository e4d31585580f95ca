"""A provincial cluster head's summary to the standing office (báo cáo tổng hợp của Cụm
trưởng) as an editable DOCX in the format of Nghị định 30/2020/NĐ-CP: for each monitoring
central unit, the sheets its members sent, their average and how many members nominate it,
as the cluster's Sent (or Resent) event recorded them; the sheets not sent."""

from __future__ import annotations

from typing import Any

from web.resources.documents.nd30 import (
    centred,
    grid,
    left_aligned,
    letterhead,
    made_from,
    new_document,
    para,
    recipients,
    saved,
    signatures,
)

HEADERS = ("STT", "Mã đơn vị", "Tên đơn vị", "Số phiếu chấm", "Tổng điểm", "Điểm bình quân",
           "Số đơn vị đề xuất", "Đơn vị đề xuất")
NOT_SENT_HEADERS = ("STT", "Đơn vị chấm", "Đơn vị được chấm", "Tình trạng phiếu")
STATES = {"none": "chưa lập", "draft": "nháp", "revised": "đang sửa lại",
          "returned": "bị trả lại", "submitted": "đã nộp", "approved": "đã phê duyệt"}
OUTSTANDING = "Hoàn thành xuất sắc nhiệm vụ, có thành tích nổi trội"
RECIPIENTS = ("Thường trực Hội đồng Thi đua - Khen thưởng ngành;",
              "Các đơn vị thành viên Cụm;", "Lưu: VT.")


def render(summary: dict[str, Any], position: int, place: str | None = None) -> bytes:
    """The cluster's summary as last sent, as DOCX bytes."""
    year, code, group = summary["year"], summary["group_code"], summary["group_name"]
    doc = new_document(title=f"Báo cáo tổng hợp của {group} năm {year}",
                       subject=f"Kết quả chấm điểm đơn vị trực thuộc năm {year}",
                       position=position)
    letterhead(doc, [(group.upper(), {"size": 13}),
                     (summary["head_name"].upper(), {"bold": True, "size": 13}), ("", {}),
                     (f"Số:      /BC-{code}", {"size": 13})],
               place or "………", summary["sent_on"])
    para(doc, "")
    centred(doc, "BÁO CÁO", bold=True, space_after=0)
    centred(doc, f"Tổng hợp kết quả chấm điểm và đề xuất của {group} đối với các đơn vị trực "
                 f"thuộc BHXH Việt Nam năm {year}", bold=True)
    centred(doc, "Kính gửi: Thường trực Hội đồng Thi đua - Khen thưởng ngành BHXH Việt Nam")
    members = ", ".join(f"{m['code']} - {m['name']}" for m in summary["members"])
    para(doc, f"{group} có {len(summary['members'])} đơn vị thành viên: {members}.")
    para(doc, f"Căn cứ phiếu chấm điểm đã gửi của các đơn vị thành viên, {summary['head_name']} "
              f"(Cụm trưởng) tổng hợp điểm bình quân và số đơn vị đề xuất công nhận "
              f"\"{OUTSTANDING}\" đối với từng đơn vị trực thuộc như sau:")
    rows = [[str(n), r["code"], r["name"], str(r["count"]), r["sum"] or "",
             r["average"] or "", str(r["nominations"]), ", ".join(r["nominators"])]
            for n, r in enumerate(summary["rows"], start=1)]
    grid(doc, HEADERS, rows)
    para(doc, "")
    if summary["not_sent"]:
        para(doc, "Các phiếu chưa gửi đến thời điểm tổng hợp (không tính vào điểm bình quân):")
        grid(doc, NOT_SENT_HEADERS, [
            [str(n), x["member_code"], x["subject_code"], STATES.get(x["state"], x["state"])]
            for n, x in enumerate(summary["not_sent"], start=1)])
    else:
        para(doc, "Tất cả các đơn vị thành viên đã gửi phiếu chấm điểm.")
    sends = summary["sends"]
    para(doc, f"Báo cáo gửi lần thứ {sends}" + (" (thay thế các lần trước)" if sends > 1
                                                 else "")
         + ("; gửi sau hạn, theo gia hạn của Thường trực Hội đồng." if summary["late"]
            else "; gửi trong hạn."), italic=True)
    signatures(doc, recipients(RECIPIENTS),
               [("CỤM TRƯỞNG", {"bold": True, "size": 14}),
                (summary["head_name"].upper(), {"bold": True, "size": 13}), ("", {}),
                ("", {})])
    left_aligned(doc)
    made_from(doc, position)
    return saved(doc)

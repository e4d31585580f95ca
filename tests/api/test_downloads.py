"""Downloads say what they are, once, and carry a name an office can file: the content type
exact (``text/csv; charset=utf-8``, never the charset twice), the Vietnamese name in
``filename*`` (RFC 6266) with an ASCII fallback."""

from __future__ import annotations

from urllib.parse import unquote

from web.extensions.download import ascii_name, attachment


def test_a_vietnamese_name_has_an_ascii_fallback():
    name = "Bảng tổng hợp đánh giá, xếp loại năm 2024.csv"
    assert ascii_name(name) == "Bang tong hop danh gia, xep loai nam 2024.csv"
    header = attachment(name)
    assert header.startswith('attachment; filename="Bang tong hop danh gia, xep loai nam '
                             '2024.csv"; filename*=UTF-8\'\'')
    assert unquote(header.split("UTF-8''", 1)[1]) == name
    assert attachment("audit-2024.jsonl") == 'attachment; filename="audit-2024.jsonl"'
    # what could end the quoted name or a header is never in the fallback
    assert ascii_name('a"b\r\nc;d\\e.csv') == "a_b_c_d_e.csv"
    assert ascii_name("Đắk Lắk") == "Dak Lak" and ascii_name("Ậ") == "A"


def test_the_exports_content_types_are_exact(year_api):
    api = year_api
    for path, expected in (("/audit/events?format=csv&year=2024", "text/csv; charset=utf-8"),
                           ("/audit/events?format=jsonl&year=2024",
                            "application/x-ndjson; charset=utf-8"),
                           ("/audit/events?format=xlsx&year=2024",
                            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")):
        r = api.get(path)
        r.get_data()
        r.close()  # the export's slot is given back when its body is done
        assert r.status_code == 200, (path, r.get_data()[:200])
        assert r.headers["Content-Type"] == expected, path
        assert r.headers["Content-Disposition"].startswith("attachment; filename=\"audit-2024.")
    table = api.get("/evaluation/cycles/2024/table.csv")
    assert table.status_code == 200, table.get_json()
    assert table.headers["Content-Type"] == "text/csv; charset=utf-8"
    disposition = table.headers["Content-Disposition"]
    assert unquote(disposition.split("UTF-8''", 1)[1]) == (
        "Bảng tổng hợp đánh giá, xếp loại năm 2024.csv")
    xlsx = api.get("/evaluation/cycles/2024/table.xlsx")
    assert xlsx.status_code == 200
    assert 'filename="Bang tong hop danh gia, xep loai nam 2024.xlsx"' in (
        xlsx.headers["Content-Disposition"])

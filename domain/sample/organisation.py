"""SAMPLE organisation of BHXH Việt Nam: central units, provinces, district offices and groups.

This is SAMPLE data for demonstrations, fixtures and load tests. It is realistic (real unit and
province names, official province codes, district counts close to the real ones as of 2024) but
it is NOT an official list: the membership of blocks and clusters, the 17 monitoring units and
some district counts are illustrative. A few counts are adjusted so that every row and boundary
of the district-cluster table of letter 4268/BHXH-TĐKT (A.I.5) occurs at least once.
"""

from __future__ import annotations

from domain.organisation.partition import district_cluster_count

SAMPLE_YEAR: int = 2024
EFFECTIVE_FROM: str = "2020-01-01"  # the date every sample unit is registered from

# Đơn vị trực thuộc BHXH Việt Nam: (code, name).
CENTRAL_UNITS: list[tuple[str, str]] = [
    ("BTHU", "Ban Quản lý Thu - Sổ, Thẻ"),
    ("BCSXH", "Ban Thực hiện chính sách BHXH"),
    ("BCSYT", "Ban Thực hiện chính sách BHYT"),
    ("VTCCB", "Vụ Tổ chức cán bộ"),
    ("VTTKT", "Vụ Thanh tra - Kiểm tra"),
    ("VKTNB", "Vụ Kiểm toán nội bộ"),
    ("VTDKT", "Vụ Thi đua - Khen thưởng"),
    ("VKHDT", "Vụ Kế hoạch và Đầu tư"),
    ("VTCKT", "Vụ Tài chính - Kế toán"),
    ("VPC", "Vụ Pháp chế"),
    ("VHTQT", "Vụ Hợp tác quốc tế"),
    ("VQLDTQ", "Vụ Quản lý đầu tư quỹ"),
    ("VP", "Văn phòng BHXH Việt Nam"),
    ("VPHDQL", "Văn phòng Hội đồng Quản lý BHXH"),
    ("VPDU", "Văn phòng Đảng ủy cơ quan BHXH Việt Nam"),
    ("VPBCS", "Văn phòng Ban Cán sự đảng BHXH Việt Nam"),
    ("TTTT", "Trung tâm Truyền thông"),
    ("TTCNTT", "Trung tâm Công nghệ thông tin"),
    ("TTCSKH", "Trung tâm Dịch vụ hỗ trợ, chăm sóc khách hàng"),
    ("TTGDYT", "Trung tâm Giám định BHYT và Thanh toán đa tuyến"),
    ("TTLT", "Trung tâm Lưu trữ"),
    ("TDTNV", "Trường Đào tạo nghiệp vụ BHXH"),
    ("TCBHXH", "Tạp chí Bảo hiểm xã hội"),
    ("BAOBHXH", "Báo Bảo hiểm xã hội"),
]

# The 17 central units that monitor and score the provinces (theo dõi, chấm điểm thi đua đối với
# BHXH tỉnh): (central code, field).
MONITORING_UNITS: list[tuple[str, str]] = [
    ("BTHU", "Thu BHXH, BHYT, BHTN; phát triển người tham gia; cấp sổ BHXH, thẻ BHYT"),
    ("BCSXH", "Thực hiện chính sách BHXH, BHTN"),
    ("BCSYT", "Thực hiện chính sách BHYT; quản lý, sử dụng quỹ khám chữa bệnh BHYT"),
    ("TTGDYT", "Giám định BHYT và thanh toán đa tuyến"),
    ("VTCCB", "Tổ chức bộ máy, cán bộ; kỷ luật, kỷ cương hành chính"),
    ("VTTKT", "Thanh tra, kiểm tra; giải quyết khiếu nại, tố cáo"),
    ("VKTNB", "Kiểm toán nội bộ"),
    ("VTDKT", "Thi đua, khen thưởng"),
    ("VP", "Công tác văn phòng, hành chính; cải cách thủ tục hành chính"),
    ("VKHDT", "Kế hoạch, đầu tư xây dựng"),
    ("VTCKT", "Tài chính, kế toán; quản lý chi phí"),
    ("VPC", "Pháp chế; phổ biến, giáo dục pháp luật"),
    ("TTTT", "Thông tin, truyền thông"),
    ("TTCNTT", "Ứng dụng công nghệ thông tin, chuyển đổi số"),
    ("TTCSKH", "Hỗ trợ, chăm sóc khách hàng; ứng dụng VssID"),
    ("TTLT", "Lưu trữ hồ sơ, tài liệu"),
    ("TDTNV", "Đào tạo, bồi dưỡng nghiệp vụ"),
]

# Phụ lục of the 2023 letter: (item, central code, what the unit reports per province).
FIELD_INFORMATION_UNITS: list[tuple[int, str, str]] = [
    (1, "BTHU", "Kết quả thực hiện kế hoạch thu; phát triển người tham gia BHXH, BHYT; số tiền nợ "
                "BHXH, bảo hiểm y tế (BHYT), bảo hiểm thất nghiệp (BHTN) của BHXH các tỉnh, "
                "thành phố tính đến 31/12."),
    (2, "BCSXH", "Đánh giá kết quả công tác thực hiện chính sách BHXH; danh sách các đơn vị giải "
                 "quyết chế độ, chính sách BHXH còn nhiều tồn tại, hạn chế; giải quyết chế độ "
                 "chính sách chậm trễ, sai sót; đơn thư khiếu nại, tố cáo, phản ánh nhiều..."),
    (3, "BCSYT", "Đánh giá tình hình và kết quả công tác quản lý, sử dụng quỹ khám chữa bệnh "
                 "BHYT."),
    (4, "VTCCB", "Danh sách các tập thể, cá nhân trong Ngành vi phạm pháp luật, làm trái quy "
                 "định, quy chế của Ngành đã bị xử lý kỷ luật hoặc đang trong thời gian xem xét, "
                 "kiểm tra, xác minh làm rõ trách nhiệm."),
    (5, "VTTKT", "Đánh giá kết quả thực hiện kế hoạch thanh tra, kiểm tra và danh sách các tập "
                 "thể, cá nhân thuộc BHXH các tỉnh, thành phố có sai phạm được phát hiện khi "
                 "thực hiện thanh tra, kiểm tra."),
    (6, "VKTNB", "Đánh giá kết quả thực hiện kế hoạch kiểm toán nội bộ; danh sách các tập thể, "
                 "cá nhân thuộc BHXH các tỉnh, thành phố có sai phạm được phát hiện khi thực "
                 "hiện công tác kiểm toán nội bộ."),
    (7, "TTTT", "Đánh giá kết quả thực hiện công tác truyền thông; danh sách các tập thể, cá "
                "nhân trong Ngành để xảy ra sự cố truyền thông trên các phương tiện thông tin "
                "đại chúng."),
    (8, "TTCNTT", "Đánh giá kết quả thực hiện công tác ứng dụng công nghệ thông tin của BHXH "
                  "tỉnh."),
    (9, "TTCSKH", "Kết quả công tác đăng ký, phê duyệt, cài đặt và ứng dụng VssID của BHXH các "
                  "tỉnh, thành phố."),
    (10, "VP", "Kết quả thực hiện các nhiệm vụ Chính phủ, Thủ tướng Chính phủ giao, các nhiệm vụ "
               "trong Chương trình công tác trọng tâm năm, Thông báo Kết luận của Lãnh đạo Ngành "
               "trong các cuộc họp..."),
    (11, "VPDU", "Kết quả đánh giá, phân loại chất lượng tổ chức đảng, đảng viên thuộc Đảng bộ "
                 "cơ quan BHXH Việt Nam."),
]

# Vụ Tổ chức cán bộ and Văn phòng score the central units under them.
ORGANISATION_SCORERS: tuple[str, str] = ("VTCCB", "VP")
# Thường trực Hội đồng Thi đua - Khen thưởng ngành.
STANDING_OFFICE: str = "VTDKT"

# BHXH tỉnh, thành phố as of 2024: (code "P" + official province code, name, district offices).
PROVINCES: list[tuple[str, str, int]] = [
    ("P01", "BHXH thành phố Hà Nội", 30),
    ("P02", "BHXH tỉnh Hà Giang", 11),
    ("P04", "BHXH tỉnh Cao Bằng", 10),
    ("P06", "BHXH tỉnh Bắc Kạn", 8),
    ("P08", "BHXH tỉnh Tuyên Quang", 7),
    ("P10", "BHXH tỉnh Lào Cai", 9),
    ("P11", "BHXH tỉnh Điện Biên", 10),
    ("P12", "BHXH tỉnh Lai Châu", 8),
    ("P14", "BHXH tỉnh Sơn La", 12),
    ("P15", "BHXH tỉnh Yên Bái", 9),
    ("P17", "BHXH tỉnh Hòa Bình", 10),
    ("P19", "BHXH tỉnh Thái Nguyên", 9),
    ("P20", "BHXH tỉnh Lạng Sơn", 11),
    ("P22", "BHXH tỉnh Quảng Ninh", 13),
    ("P24", "BHXH tỉnh Bắc Giang", 10),
    ("P25", "BHXH tỉnh Phú Thọ", 13),
    ("P26", "BHXH tỉnh Vĩnh Phúc", 9),
    ("P27", "BHXH tỉnh Bắc Ninh", 8),
    ("P30", "BHXH tỉnh Hải Dương", 12),
    ("P31", "BHXH thành phố Hải Phòng", 14),
    ("P33", "BHXH tỉnh Hưng Yên", 10),
    ("P34", "BHXH tỉnh Thái Bình", 8),
    ("P35", "BHXH tỉnh Hà Nam", 6),
    ("P36", "BHXH tỉnh Nam Định", 10),
    ("P37", "BHXH tỉnh Ninh Bình", 8),
    ("P38", "BHXH tỉnh Thanh Hóa", 25),
    ("P40", "BHXH tỉnh Nghệ An", 20),
    ("P42", "BHXH tỉnh Hà Tĩnh", 13),
    ("P44", "BHXH tỉnh Quảng Bình", 8),
    ("P45", "BHXH tỉnh Quảng Trị", 10),
    ("P46", "BHXH tỉnh Thừa Thiên Huế", 9),
    ("P48", "BHXH thành phố Đà Nẵng", 7),
    ("P49", "BHXH tỉnh Quảng Nam", 19),
    ("P51", "BHXH tỉnh Quảng Ngãi", 13),
    ("P52", "BHXH tỉnh Bình Định", 11),
    ("P54", "BHXH tỉnh Phú Yên", 9),
    ("P56", "BHXH tỉnh Khánh Hòa", 9),
    ("P58", "BHXH tỉnh Ninh Thuận", 7),
    ("P60", "BHXH tỉnh Bình Thuận", 10),
    ("P62", "BHXH tỉnh Kon Tum", 10),
    ("P64", "BHXH tỉnh Gia Lai", 17),
    ("P66", "BHXH tỉnh Đắk Lắk", 15),
    ("P67", "BHXH tỉnh Đắk Nông", 8),
    ("P68", "BHXH tỉnh Lâm Đồng", 12),
    ("P70", "BHXH tỉnh Bình Phước", 11),
    ("P72", "BHXH tỉnh Tây Ninh", 9),
    ("P74", "BHXH tỉnh Bình Dương", 9),
    ("P75", "BHXH tỉnh Đồng Nai", 11),
    ("P77", "BHXH tỉnh Bà Rịa - Vũng Tàu", 8),
    ("P79", "BHXH thành phố Hồ Chí Minh", 24),
    ("P80", "BHXH tỉnh Long An", 15),
    ("P82", "BHXH tỉnh Tiền Giang", 11),
    ("P83", "BHXH tỉnh Bến Tre", 9),
    ("P84", "BHXH tỉnh Trà Vinh", 9),
    ("P86", "BHXH tỉnh Vĩnh Long", 8),
    ("P87", "BHXH tỉnh Đồng Tháp", 12),
    ("P89", "BHXH tỉnh An Giang", 11),
    ("P91", "BHXH tỉnh Kiên Giang", 15),
    ("P92", "BHXH thành phố Cần Thơ", 9),
    ("P93", "BHXH tỉnh Hậu Giang", 8),
    ("P94", "BHXH tỉnh Sóc Trăng", 11),
    ("P95", "BHXH tỉnh Bạc Liêu", 7),
    ("P96", "BHXH tỉnh Cà Mau", 9),
]

# Real district names where they are well known; the other provinces get numbered offices.
_DISTRICT_NAMES: dict[str, tuple[str, ...]] = {
    "P01": (
        "quận Ba Đình", "quận Hoàn Kiếm", "quận Tây Hồ", "quận Long Biên", "quận Cầu Giấy",
        "quận Đống Đa", "quận Hai Bà Trưng", "quận Hoàng Mai", "quận Thanh Xuân",
        "quận Nam Từ Liêm", "quận Bắc Từ Liêm", "quận Hà Đông", "thị xã Sơn Tây",
        "huyện Sóc Sơn", "huyện Đông Anh", "huyện Gia Lâm", "huyện Thanh Trì", "huyện Mê Linh",
        "huyện Ba Vì", "huyện Phúc Thọ", "huyện Đan Phượng", "huyện Hoài Đức", "huyện Quốc Oai",
        "huyện Thạch Thất", "huyện Chương Mỹ", "huyện Thanh Oai", "huyện Thường Tín",
        "huyện Phú Xuyên", "huyện Ứng Hòa", "huyện Mỹ Đức",
    ),
    "P02": (
        "thành phố Hà Giang", "huyện Đồng Văn", "huyện Mèo Vạc", "huyện Yên Minh",
        "huyện Quản Bạ", "huyện Bắc Mê", "huyện Vị Xuyên", "huyện Hoàng Su Phì",
        "huyện Xín Mần", "huyện Bắc Quang", "huyện Quang Bình",
    ),
    "P04": (
        "thành phố Cao Bằng", "huyện Bảo Lâm", "huyện Bảo Lạc", "huyện Hà Quảng",
        "huyện Trùng Khánh", "huyện Hạ Lang", "huyện Quảng Hòa", "huyện Hòa An",
        "huyện Nguyên Bình", "huyện Thạch An",
    ),
    "P06": (
        "thành phố Bắc Kạn", "huyện Pác Nặm", "huyện Ba Bể", "huyện Ngân Sơn",
        "huyện Bạch Thông", "huyện Chợ Đồn", "huyện Chợ Mới", "huyện Na Rì",
    ),
    "P08": (
        "thành phố Tuyên Quang", "huyện Lâm Bình", "huyện Na Hang", "huyện Chiêm Hóa",
        "huyện Hàm Yên", "huyện Yên Sơn", "huyện Sơn Dương",
    ),
    "P10": (
        "thành phố Lào Cai", "thị xã Sa Pa", "huyện Bát Xát", "huyện Mường Khương",
        "huyện Si Ma Cai", "huyện Bắc Hà", "huyện Bảo Thắng", "huyện Bảo Yên", "huyện Văn Bàn",
    ),
    "P11": (
        "thành phố Điện Biên Phủ", "thị xã Mường Lay", "huyện Mường Nhé", "huyện Nậm Pồ",
        "huyện Mường Chà", "huyện Tủa Chùa", "huyện Tuần Giáo", "huyện Điện Biên",
        "huyện Điện Biên Đông", "huyện Mường Ảng",
    ),
    "P12": (
        "thành phố Lai Châu", "huyện Tam Đường", "huyện Mường Tè", "huyện Sìn Hồ",
        "huyện Phong Thổ", "huyện Than Uyên", "huyện Tân Uyên", "huyện Nậm Nhùn",
    ),
    "P14": (
        "thành phố Sơn La", "huyện Quỳnh Nhai", "huyện Thuận Châu", "huyện Mường La",
        "huyện Bắc Yên", "huyện Phù Yên", "huyện Mộc Châu", "huyện Vân Hồ", "huyện Yên Châu",
        "huyện Mai Sơn", "huyện Sông Mã", "huyện Sốp Cộp",
    ),
    "P15": (
        "thành phố Yên Bái", "thị xã Nghĩa Lộ", "huyện Lục Yên", "huyện Văn Yên",
        "huyện Mù Cang Chải", "huyện Trấn Yên", "huyện Trạm Tấu", "huyện Văn Chấn",
        "huyện Yên Bình",
    ),
    "P17": (
        "thành phố Hòa Bình", "huyện Đà Bắc", "huyện Lương Sơn", "huyện Kim Bôi",
        "huyện Cao Phong", "huyện Tân Lạc", "huyện Mai Châu", "huyện Lạc Sơn", "huyện Yên Thủy",
        "huyện Lạc Thủy",
    ),
    "P19": (
        "thành phố Thái Nguyên", "thành phố Sông Công", "thành phố Phổ Yên", "huyện Định Hóa",
        "huyện Phú Lương", "huyện Đồng Hỷ", "huyện Võ Nhai", "huyện Đại Từ", "huyện Phú Bình",
    ),
    "P20": (
        "thành phố Lạng Sơn", "huyện Tràng Định", "huyện Bình Gia", "huyện Văn Lãng",
        "huyện Cao Lộc", "huyện Văn Quan", "huyện Bắc Sơn", "huyện Hữu Lũng", "huyện Chi Lăng",
        "huyện Lộc Bình", "huyện Đình Lập",
    ),
    "P25": (
        "thành phố Việt Trì", "thị xã Phú Thọ", "huyện Đoan Hùng", "huyện Hạ Hòa",
        "huyện Thanh Ba", "huyện Phù Ninh", "huyện Yên Lập", "huyện Cẩm Khê", "huyện Tam Nông",
        "huyện Lâm Thao", "huyện Thanh Sơn", "huyện Thanh Thủy", "huyện Tân Sơn",
    ),
    "P26": (
        "thành phố Vĩnh Yên", "thành phố Phúc Yên", "huyện Bình Xuyên", "huyện Tam Dương",
        "huyện Tam Đảo", "huyện Lập Thạch", "huyện Sông Lô", "huyện Vĩnh Tường",
        "huyện Yên Lạc",
    ),
    "P30": (
        "thành phố Hải Dương", "thành phố Chí Linh", "thị xã Kinh Môn", "huyện Nam Sách",
        "huyện Kim Thành", "huyện Thanh Hà", "huyện Cẩm Giàng", "huyện Bình Giang",
        "huyện Gia Lộc", "huyện Tứ Kỳ", "huyện Ninh Giang", "huyện Thanh Miện",
    ),
    "P31": (
        "quận Hồng Bàng", "quận Ngô Quyền", "quận Lê Chân", "quận Hải An", "quận Kiến An",
        "quận Đồ Sơn", "quận Dương Kinh", "huyện Thủy Nguyên", "huyện An Dương", "huyện An Lão",
        "huyện Kiến Thụy", "huyện Tiên Lãng", "huyện Vĩnh Bảo", "huyện Cát Hải",
    ),
    "P33": (
        "thành phố Hưng Yên", "thị xã Mỹ Hào", "huyện Văn Lâm", "huyện Văn Giang",
        "huyện Yên Mỹ", "huyện Ân Thi", "huyện Khoái Châu", "huyện Kim Động", "huyện Tiên Lữ",
        "huyện Phù Cừ",
    ),
    "P34": (
        "thành phố Thái Bình", "huyện Quỳnh Phụ", "huyện Hưng Hà", "huyện Đông Hưng",
        "huyện Thái Thụy", "huyện Tiền Hải", "huyện Kiến Xương", "huyện Vũ Thư",
    ),
    "P36": (
        "thành phố Nam Định", "huyện Mỹ Lộc", "huyện Vụ Bản", "huyện Ý Yên", "huyện Nam Trực",
        "huyện Trực Ninh", "huyện Xuân Trường", "huyện Giao Thủy", "huyện Hải Hậu",
        "huyện Nghĩa Hưng",
    ),
    "P37": (
        "thành phố Ninh Bình", "thành phố Tam Điệp", "huyện Nho Quan", "huyện Gia Viễn",
        "huyện Hoa Lư", "huyện Yên Khánh", "huyện Kim Sơn", "huyện Yên Mô",
    ),
    "P46": (
        "thành phố Huế", "thị xã Hương Thủy", "thị xã Hương Trà", "huyện Phong Điền",
        "huyện Quảng Điền", "huyện Phú Vang", "huyện Phú Lộc", "huyện A Lưới", "huyện Nam Đông",
    ),
    "P48": (
        "quận Hải Châu", "quận Thanh Khê", "quận Sơn Trà", "quận Ngũ Hành Sơn",
        "quận Liên Chiểu", "quận Cẩm Lệ", "huyện Hòa Vang",
    ),
    "P74": (
        "thành phố Thủ Dầu Một", "thành phố Dĩ An", "thành phố Thuận An", "thành phố Tân Uyên",
        "thành phố Bến Cát", "huyện Bàu Bàng", "huyện Dầu Tiếng", "huyện Phú Giáo",
        "huyện Bắc Tân Uyên",
    ),
    "P75": (
        "thành phố Biên Hòa", "thành phố Long Khánh", "huyện Tân Phú", "huyện Vĩnh Cửu",
        "huyện Định Quán", "huyện Trảng Bom", "huyện Thống Nhất", "huyện Cẩm Mỹ",
        "huyện Long Thành", "huyện Xuân Lộc", "huyện Nhơn Trạch",
    ),
    "P77": (
        "thành phố Vũng Tàu", "thành phố Bà Rịa", "thị xã Phú Mỹ", "huyện Châu Đức",
        "huyện Xuyên Mộc", "huyện Long Điền", "huyện Đất Đỏ", "huyện Côn Đảo",
    ),
    "P92": (
        "quận Ninh Kiều", "quận Bình Thủy", "quận Cái Răng", "quận Ô Môn", "quận Thốt Nốt",
        "huyện Phong Điền", "huyện Cờ Đỏ", "huyện Thới Lai", "huyện Vĩnh Thạnh",
    ),
}

_PROVINCE_BY_CODE: dict[str, tuple[str, int]] = {
    code: (name, count) for code, name, count in PROVINCES}


def district_offices(province_code: str) -> list[tuple[str, str]]:
    """BHXH cấp huyện of one province: (code, name), always in the same order."""
    name, count = _PROVINCE_BY_CODE[province_code]
    short = name.removeprefix("BHXH thành phố ").removeprefix("BHXH tỉnh ")
    known = _DISTRICT_NAMES.get(province_code)
    return [
        (f"{province_code}D{i:02d}",
         f"BHXH {known[i - 1]}" if known else f"BHXH cấp huyện số {i:02d} ({short})")
        for i in range(1, count + 1)
    ]


def district_partition(province_code: str) -> list[list[str]]:
    """The province's district offices in f(N) contiguous clusters, sizes differing by one."""
    codes = [code for code, _ in district_offices(province_code)]
    count = district_cluster_count(len(codes))
    size, extra = divmod(len(codes), count)
    clusters: list[list[str]] = []
    start = 0
    for i in range(count):
        end = start + size + (1 if i < extra else 0)
        clusters.append(codes[start:end])
        start = end
    return clusters


# Khối thi đua: (code, name, member central units).
BLOCKS: list[tuple[str, str, list[str]]] = [
    ("K1", "Khối thi đua số 1 - Khối các Ban nghiệp vụ",
     ["BTHU", "BCSXH", "BCSYT", "TTGDYT"]),
    ("K2", "Khối thi đua số 2 - Khối các Vụ tham mưu",
     ["VTCCB", "VTTKT", "VKTNB", "VTDKT", "VKHDT", "VTCKT", "VPC", "VHTQT", "VQLDTQ"]),
    ("K3", "Khối thi đua số 3 - Khối các Văn phòng",
     ["VP", "VPHDQL", "VPDU", "VPBCS"]),
    ("K4", "Khối thi đua số 4 - Khối các Trung tâm",
     ["TTTT", "TTCNTT", "TTCSKH", "TTLT"]),
    ("K5", "Khối thi đua số 5 - Khối đào tạo, báo chí",
     ["TDTNV", "TCBHXH", "BAOBHXH"]),
]

# Cụm thi đua cấp tỉnh: (code, name, member provinces), by region.
PROVINCIAL_CLUSTERS: list[tuple[str, str, list[str]]] = [
    ("C1", "Cụm thi đua số 1 - Các tỉnh miền núi phía Bắc",
     ["P02", "P04", "P06", "P08", "P10", "P11", "P12", "P14", "P15", "P17"]),
    ("C2", "Cụm thi đua số 2 - Các tỉnh trung du và Đông Bắc",
     ["P19", "P20", "P22", "P24", "P25", "P26", "P27"]),
    ("C3", "Cụm thi đua số 3 - Các tỉnh, thành phố đồng bằng sông Hồng",
     ["P01", "P30", "P31", "P33", "P34", "P35", "P36", "P37"]),
    ("C4", "Cụm thi đua số 4 - Các tỉnh Bắc Trung Bộ",
     ["P38", "P40", "P42", "P44", "P45", "P46"]),
    ("C5", "Cụm thi đua số 5 - Các tỉnh, thành phố duyên hải Nam Trung Bộ",
     ["P48", "P49", "P51", "P52", "P54", "P56", "P58", "P60"]),
    ("C6", "Cụm thi đua số 6 - Các tỉnh Tây Nguyên",
     ["P62", "P64", "P66", "P67", "P68"]),
    ("C7", "Cụm thi đua số 7 - Các tỉnh, thành phố Đông Nam Bộ",
     ["P70", "P72", "P74", "P75", "P77", "P79"]),
    ("C8", "Cụm thi đua số 8 - Các tỉnh, thành phố đồng bằng sông Cửu Long",
     ["P80", "P82", "P83", "P84", "P86", "P87", "P89", "P91", "P92", "P93", "P94", "P95",
      "P96"]),
]

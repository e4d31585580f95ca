"""One-line summaries of events for the audit trail, in Vietnamese and English.

Each known topic has a pair of templates filled from the event's (redacted) data; counts of list
fields are available as ``n_<field>``. A topic without templates (an event another area adds
later) still gets a readable summary built from its object type and event name.
"""

from __future__ import annotations

import functools
import re
import string
from typing import Any

TEMPLATES: dict[str, tuple[str, str]] = {
    # units (đơn vị)
    "thidua:Unit.Registered": ("Đăng ký đơn vị {code} – {name} ({level_vi}), hiệu lực từ "
                               "{effective}",
                               "Unit {code} – {name} ({level}) registered, effective {effective}"),
    "thidua:Unit.Renamed": ("Đổi tên đơn vị thành «{name}», hiệu lực từ {effective}",
                            "Unit renamed to “{name}”, effective {effective}"),
    "thidua:Unit.Moved": ("Chuyển đơn vị cấp huyện sang tỉnh khác, hiệu lực từ {effective}",
                          "District office moved to another province, effective {effective}"),
    "thidua:Unit.Merged": ("Sáp nhập đơn vị, hiệu lực từ {effective}",
                           "Unit merged into another, effective {effective}"),
    "thidua:Unit.Dissolved": ("Giải thể đơn vị, hiệu lực từ {effective}",
                              "Unit dissolved, effective {effective}"),
    "thidua:Unit.Split": ("Chia tách đơn vị thành {n_part_ids} đơn vị, hiệu lực từ {effective}",
                          "Unit split into {n_part_ids} units, effective {effective}"),
    "thidua:Unit.Relevelled": ("Chuyển đơn vị thành {level_vi}, hiệu lực từ {effective}",
                               "Unit changed to level {level}, effective {effective}"),
    "thidua:Reorganisation.Recorded": ("Ghi nhận quyết định sắp xếp {number} của {issuer} "
                                       "({n_changes} thay đổi), hiệu lực từ {effective}",
                                       "Reorganisation {number} of {issuer} recorded "
                                       "({n_changes} changes), effective {effective}"),
    "thidua:Unit.DistrictAttached": ("Gắn BHXH cấp huyện vào tỉnh, hiệu lực từ {effective}",
                                     "District office attached to the province, effective "
                                     "{effective}"),
    "thidua:Unit.DistrictDetached": ("Tách BHXH cấp huyện khỏi tỉnh, hiệu lực từ {effective}",
                                     "District office detached from the province, effective "
                                     "{effective}"),
    # groups (Khối, Cụm)
    "thidua:GroupYear.Opened": ("Mở sổ khối, cụm thi đua năm {year}",
                                "Group register opened for {year}"),
    "thidua:GroupYear.GroupFormed": ("Thành lập {kind_vi} {code} – {name}",
                                     "{kind_en} {code} – {name} formed"),
    "thidua:GroupYear.MembersAdded": ("Bổ sung {n_members} đơn vị thành viên",
                                      "{n_members} member unit(s) added"),
    "thidua:GroupYear.MemberRemoved": ("Rút một đơn vị khỏi danh sách thành viên",
                                       "A member unit removed"),
    "thidua:GroupYear.DistrictPartitionPublished": (
        "Ban hành phân chia {district_count} BHXH cấp huyện thành {n_clusters} cụm thi đua, "
        "hiệu lực từ {effective}",
        "District partition published: {district_count} district offices in {n_clusters} "
        "cluster(s), effective {effective}"),
    "thidua:GroupYear.MembershipListImported": (
        "Nhập danh sách ban hành kèm theo ({n_groups} khối, cụm; {n_partitions} tỉnh phân cụm)",
        "Membership list imported ({n_groups} group(s), {n_partitions} province partition(s))"),
    # users and tokens
    "thidua:User.Registered": ("Tạo người dùng {username} ({full_name}), vai trò {roles_text}",
                               "User {username} ({full_name}) registered, roles {roles_text}"),
    "thidua:User.RoleGranted": ("Cấp vai trò {role}", "Role {role} granted"),
    "thidua:User.RoleRevoked": ("Thu hồi vai trò {role}", "Role {role} revoked"),
    "thidua:User.UnitsAssigned": ("Phân công phụ trách {n_assigned_units} đơn vị",
                                  "{n_assigned_units} unit(s) assigned to the leader"),
    "thidua:User.Disabled": ("Khóa người dùng", "User disabled"),
    "thidua:User.Enabled": ("Mở khóa người dùng", "User enabled"),
    "thidua:ApiToken.Issued": ("Cấp mã truy cập «{label}», hết hạn {expires_at}",
                               "Access token “{label}” issued, expires {expires_at}"),
    "thidua:ApiToken.Revoked": ("Thu hồi mã truy cập", "Access token revoked"),
}

KIND_NAMES = {
    "block": ("Khối thi đua", "Block"),
    "provincial_cluster": ("Cụm thi đua", "Provincial cluster"),
    "district_cluster": ("Cụm thi đua cấp huyện", "District cluster"),
}

LEVEL_NAMES = {"central": "đơn vị trực thuộc BHXH Việt Nam", "province": "BHXH cấp tỉnh",
               "district": "BHXH cấp huyện"}

# For the generic summary of topics added later by other areas.
OBJECT_NAMES_VI = {
    "Unit": "Đơn vị", "GroupYear": "Sổ khối, cụm thi đua", "User": "Người dùng",
    "ApiToken": "Mã truy cập", "Election": "Bầu Khối trưởng, Cụm trưởng",
    "Ballot": "Phiếu bầu", "Covenant": "Giao ước thi đua", "Target": "Chỉ tiêu thi đua",
    "ScoreSheet": "Phiếu chấm điểm", "Nomination": "Đề xuất khen thưởng",
    "FieldReport": "Báo cáo cung cấp thông tin", "ClusterSummary": "Tổng hợp của cụm",
    "Decision": "Quyết định", "Cycle": "Kỳ đánh giá", "EvaluationCycle": "Kỳ đánh giá",
    "RuleSet": "Bộ tiêu chí", "Finding": "Kết quả kiểm tra", "Extension": "Gia hạn",
    "ElectionRuleSet": "Quy định bầu cử", "GroupOffice": "Khối trưởng, Cụm trưởng",
    "DistrictRuleSet": "Tiêu chí thi đua BHXH cấp huyện",
    "DistrictCycle": "Kỳ đánh giá BHXH cấp huyện",
    "DistrictNomination": "Đề xuất khen thưởng BHXH cấp huyện",
    "DistrictClusterSummary": "Tổng hợp của cụm thi đua cấp huyện",
    "Judging": "Bình xét thi đua", "JudgingRuleSet": "Quy định bình xét thi đua",
    "GroupRegulation": "Quy chế hoạt động", "GroupPlan": "Chương trình, kế hoạch hoạt động",
}
ACTIONS_VI = {
    "Registered": "đăng ký", "Created": "tạo mới", "Opened": "mở", "Closed": "đóng",
    "Submitted": "nộp", "Approved": "phê duyệt", "Returned": "trả lại", "Sent": "gửi",
    "Revised": "sửa đổi", "Corrected": "đính chính", "Cast": "bỏ phiếu",
    "Declared": "công bố kết quả", "Annulled": "hủy bỏ", "Recorded": "ghi nhận",
    "Signed": "ký", "Launched": "phát động", "Nominated": "đề xuất", "Withdrawn": "rút lại",
    "Published": "ban hành", "Imported": "nhập", "Extended": "gia hạn", "Drafted": "soạn thảo",
    "Updated": "cập nhật", "Added": "bổ sung", "Removed": "loại bỏ", "Elected": "bầu",
    "Scored": "chấm điểm", "Classified": "xếp loại", "Compiled": "tổng hợp",
    "Set": "thiết lập", "Amended": "sửa đổi", "Started": "bắt đầu", "Resubmitted": "nộp lại",
    "Resent": "gửi lại", "Decided": "ra quyết định", "ReviewBegun": "bắt đầu xét duyệt",
    "ExtensionGranted": "gia hạn", "CorrectionOpened": "mở đính chính",
    "ScoresWritten": "ghi điểm", "CandidatePutForward": "giới thiệu ứng cử",
    "BallotCast": "bỏ phiếu", "BallotsCounted": "kiểm phiếu", "ResultDeclared": "công bố kết quả",
    "ElectionOpened": "mở cuộc bầu", "ElectionClosed": "kết thúc cuộc bầu",
    "OfficeTaken": "nhận nhiệm vụ", "TargetsRegistered": "đăng ký chỉ tiêu",
    "FindingRecorded": "ghi nhận kết quả kiểm tra", "FindingAmended": "sửa kết quả kiểm tra",
    "TaskAssigned": "giao nhiệm vụ đột xuất",
    "ComparableGroupsDeclared": "xác định nhóm tương đồng",
    "RoundOpened": "mở phiên bình xét", "RoundAnnulled": "hủy phiên bình xét",
    "Adopted": "thông qua", "Issued": "ban hành",
}


@functools.cache
def words(name: str) -> str:
    """'ScoreSheet' -> 'Score sheet', 'MembersAdded' -> 'Members added'."""
    parts = re.findall(r"[A-Z]+(?=[A-Z][a-z]|$)|[A-Z]?[a-z0-9]+|[A-Z]+", name)
    text = " ".join(p if p.isupper() and len(p) > 1 else p.lower() for p in parts) or name
    return text[:1].upper() + text[1:]


class _Lenient(string.Formatter):
    """Fills what it can; a missing field shows as '?' rather than failing."""

    def get_value(self, key: Any, args: Any, kwargs: Any) -> Any:
        value = kwargs.get(key, "?") if isinstance(key, str) else "?"
        return "?" if value is None else value


_FORMAT = _Lenient()


def _facts(data: dict[str, Any]) -> dict[str, Any]:
    facts = dict(data)
    for key, value in data.items():
        if isinstance(value, list | dict):
            facts[f"n_{key}"] = len(value)
    kind = data.get("kind")
    if isinstance(kind, str):
        vi, en = KIND_NAMES.get(kind, (kind, words(kind)))
        facts.update(kind_vi=vi, kind_en=en)
    level = data.get("level")
    if isinstance(level, str):
        facts["level_vi"] = LEVEL_NAMES.get(level, level)
    roles = data.get("roles")
    if isinstance(roles, list):
        facts["roles_text"] = ", ".join(str(r) for r in roles)
    return facts


@functools.cache
def generic(object_type: str, action: str) -> tuple[str, str]:
    """The summary of an event without templates, from its object type and event name."""
    obj_vi = OBJECT_NAMES_VI.get(object_type, words(object_type))
    act_vi = ACTIONS_VI.get(action, f"sự kiện «{words(action).lower()}»")
    return f"{obj_vi}: {act_vi}", f"{words(object_type)}: {words(action).lower()}"


def summarise(topic: str, object_type: str, action: str,
              data: dict[str, Any]) -> tuple[str, str]:
    """(Vietnamese, English) summary of one event."""
    templates = TEMPLATES.get(topic)
    if templates is None:
        return generic(object_type, action)
    facts = _facts(data)
    try:
        vi, en = (_FORMAT.vformat(t, (), facts) for t in templates)
    except (ValueError, IndexError, AttributeError, TypeError):
        return generic(object_type, action)
    return vi, en

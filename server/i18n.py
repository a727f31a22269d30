"""The back office's words: Chinese by default, English switchable (cookie ``ow_lang``).

Templates write the Chinese text inside ``_()``; English comes from :data:`ENGLISH`. A string
missing there shows in Chinese (a test checks every ``_()`` string of the templates is listed).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["ENGLISH", "LANGUAGES", "LANG_COOKIE", "translator"]

LANG_COOKIE = "ow_lang"
LANGUAGES = ("zh_CN", "en")

ENGLISH: dict[str, str] = {
    "一窗通 · 后台审批": "OneWindow · Back office",
    "退出": "Log out",
    "登录": "Log in",
    "部门审批人员登录": "Department staff login",
    "用户名": "User name",
    "密码": "Password",
    "连续输错密码 5 次，账号锁定 15 分钟。": (
        "Five wrong passwords lock the account for 15 minutes."
    ),
    "待办办件": "Cases to handle",
    "件": "cases",
    "受理编号": "Case number",
    "事项": "Matter",
    "申请人": "Applicant",
    "受理时间": "Accepted",
    "承诺办结": "Promised by",
    "状态": "State",
    "大厅": "Hall",
    "本板块暂无待办办件。": "No cases to handle in this area.",
    "← 返回待办列表": "← Back to the list",
    "办件": "Case",
    "受理大厅": "Accepting hall",
    "证件号码": "ID number",
    "经办人": "Agent",
    "联系电话": "Phone",
    "申请人信息已脱敏显示；仅审批人（approver）角色可查看完整信息，且每次查看均记入审计日志。": (
        "Applicant data is masked; only the approver role sees it in full, "
        "and every view is audited."
    ),
    "申请材料": "Materials",
    "序号": "No.",
    "材料名称": "Material",
    "形式": "Form",
    "份数": "Copies",
    "收取情况": "Received",
    "审批操作": "Decision",
    "不予许可的理由（必填）": "Reason for the denial (required)",
    "签发电子证照": "Issue e-certificate",
    "当前状态无可执行的审批操作。": "Nothing to decide in this state.",
    "电子证照": "E-certificates",
    "证照名称": "Certificate",
    "电子证照标识": "Identifier",
    "签发日期": "Issued on",
    "下载": "Download",
    "办理过程": "History",
    "时间": "Time",
    "环节": "Step",
    "办理人": "Handled by",
    "意见": "Opinion",
    "来源": "Source",
    "后台": "Back office",
    "English": "English",
    "中文": "中文",
}


def translator(language: str) -> Callable[[str], str]:
    if language == "en":
        return lambda text: ENGLISH.get(text, text)
    return lambda text: text

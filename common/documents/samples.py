"""Invented sample documents (no real people).

The demo prints them; the tests and benchmarks use them.
"""

from __future__ import annotations

import datetime as dt

from common.documents.data import (
    CertificateData,
    CorrectionNoticeData,
    MaterialLine,
    MaterialMark,
    MissingItem,
    ReceiptData,
    TicketData,
)
from common.intake.qrtag import ticket_payload

EXAMPLE_ID = "1.2.156.3005.2.11100000000013338W011.11110000000021135M.20230329701.003.Y"
# An invented, checksum-valid ID number (GB 11643) for a fictional person.
SAMPLE_ID_NUMBER = "11010519491231002X"

# The hall secret the samples' keyed QR codes are made with (invented; no hall uses it).
SAMPLE_HALL_SECRET = "sample-hall-secret"

# Exactly what the kiosk prints for a green-channel ticket in the demo hall with the sample
# secret (common.queue.printout.ticket_data; tests/common/documents/test_samples.py keeps it
# so): the keyed QR code for 评价 at the kiosk, no 预约 tag (a checked-in appointment's ticket
# says 预约; this one is walk-in).
TICKET = TicketData(
    hall_name="示范区政务服务中心",
    service_name="综合受理",
    number="A012",
    waiting_ahead=7,
    issued_at=dt.datetime(2024, 5, 6, 9, 31, 5),
    estimated_wait_minutes=25,
    green_channel=True,
    holder_name="张*丰",
    notice=(
        "请在休息区等候，留意叫号及大屏信息",
        "过号顺延3位重新排队，限一次，无需重新取号；再次过号请到取号机重新取号",
    ),
    window_hint="请留意叫号，到 1-8 号窗口办理",
    progress_url=ticket_payload(dt.date(2024, 5, 6), "A012", SAMPLE_HALL_SECRET),
)

RECEIPT = ReceiptData(
    hall_name="示范区政务服务中心",
    case_number="SL20240506-0012",
    matters=("公司设立登记", "公章刻制备案", "发票领用"),
    applicant_name="李小梅",
    applicant_id_number=SAMPLE_ID_NUMBER,
    accepted_at=dt.datetime(2024, 5, 6, 9, 40),
    promised_date=dt.date(2024, 5, 7),
    materials=(
        MaterialLine("公司登记（备案）申请书", MaterialMark.RECEIVED, "原件", 1),
        MaterialLine("公司章程", MaterialMark.RECEIVED, "原件", 1),
        MaterialLine("股东主体资格证明", MaterialMark.RECEIVED, "复印件", 2),
        MaterialLine("法定代表人及董监高任职文件和身份证明", MaterialMark.RECEIVED, "原件", 1),
        MaterialLine("住所使用证明", MaterialMark.TOLERATED, "复印件", 1),
        MaterialLine("经办人身份证", MaterialMark.SHARED, "电子", 0),
    ),
    supplement_deadline=dt.date(2024, 5, 20),
    staff_name="王明",
    window="3号窗口",
    progress_url="https://hall.example.cn/case/SL20240506-0012",
    contact_phone="0591-12345678",
)

NOTICE = CorrectionNoticeData(
    hall_name="示范区政务服务中心",
    notice_number="GZ20240506-0003",
    matters=("二手房转移登记",),
    applicant_name="陈建国",
    applicant_id_number=SAMPLE_ID_NUMBER,
    issued_at=dt.datetime(2024, 5, 6, 10, 5),
    missing=(
        MissingItem("不动产权属证书", "原件1份"),
        MissingItem("买卖合同", "原件1份，双方签字"),
        MissingItem("婚姻状况证明", "已婚提供结婚证，未婚提供声明书"),
    ),
    staff_name="赵丽",
    window="5号窗口",
    contact_phone="0591-12345678",
    progress_url="https://hall.example.cn/guide/D001",
)

CERTIFICATE = CertificateData(
    identifier=EXAMPLE_ID,
    title="营业执照",
    issuer_name="示范区市场监督管理局",
    holder_name="福州示例科技有限公司",
    holder_id_number="91350102MA2YH8KL5Q",
    issued_on=dt.date(2023, 3, 29),
    valid_from=dt.date(2023, 3, 29),
    valid_until=None,
    verify_url=f"https://zz.example.gov.cn/verify?id={EXAMPLE_ID}",
    usage_provider="示范区政务服务中心",
    usage_valid_until=dt.date(2024, 6, 5),
    fields=(
        ("统一社会信用代码", "91350102MA2YH8KL5Q"),
        ("类型", "有限责任公司（自然人投资或控股）"),
        ("法定代表人", "林*华"),
        ("注册资本", "壹佰万元整"),
        ("住所", "福建省福州市示范区示例路88号"),
    ),
    holder_is_person=False,
)

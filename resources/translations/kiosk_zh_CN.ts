<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>kiosk</name>
    <message>
        <source>%1 needs your ID card to take a number</source>
        <translation>办理“%1”需刷身份证取号</translation>
    </message>
    <message>
        <source>%1 people ahead of you</source>
        <translation>您前面还有 %1 人在等待</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 waiting · about %2 min</source>
        <translation>%1 人等待 · 约 %2 分钟</translation>
    </message>
    <message>
        <source>Administrator PIN</source>
        <translation>请输入管理密码</translation>
    </message>
    <message>
        <source>Aged 70 or over</source>
        <translation>70岁以上老人</translation>
    </message>
    <message>
        <source>Aged 70 or over? Place your ID card on the reader first — you will be served with priority.</source>
        <translation>70岁以上老人请先刷身份证，自动进入绿色通道优先办理。</translation>
    </message>
    <message>
        <source>Aged 70 or over? Please ask the staff — you will be served with priority. Services that need an ID card are handled at the service desk.</source>
        <translation>70岁以上老人请找工作人员，优先为您办理；需刷身份证的业务请到服务台办理。</translation>
    </message>
    <message>
        <source>The ID card reader is not working and staff have been told. Aged 70 or over, or your service needs an ID card? Please ask the staff.</source>
        <translation>身份证阅读器暂时无法使用，已通知工作人员。70岁以上老人或办理需刷身份证的业务，请找工作人员协助。</translation>
    </message>
    <message>
        <source>Always</source>
        <translation>始终开启</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>返回</translation>
    </message>
    <message>
        <source>Back to start</source>
        <translation>返回首页</translation>
    </message>
    <message>
        <source>Back to the start in %1 s</source>
        <translation>%1 秒后返回首页</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Daily limit reached</source>
        <translation>今日取号次数已达上限</translation>
    </message>
    <message>
        <source>Disabled person</source>
        <translation>残疾人</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Each person may take %1 numbers a day for this service, so that everyone gets a turn. If you need more, please ask at the service desk.</source>
        <translation>为保证人人都能办理，每人每天在该业务最多取号 %1 次。如有特殊情况，请到服务台咨询。</translation>
    </message>
    <message>
        <source>Estimated wait about %1 minutes</source>
        <translation>预计等待约 %1 分钟</translation>
    </message>
    <message>
        <source>Exit kiosk</source>
        <translation>退出取号程序</translation>
    </message>
    <message>
        <source>For disabled people, serving and retired military, and pregnant women. A member of staff chooses the reason and enters the PIN.</source>
        <translation>适用于残疾人、现役及退役军人、孕妇。请工作人员选择类别并输入密码。</translation>
    </message>
    <message>
        <source>Green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <source>Green channel confirmed (%1) — now choose a service</source>
        <translation>已确认绿色通道（%1），请选择业务</translation>
    </message>
    <message>
        <source>Green channel — confirmed by staff</source>
        <translation>绿色通道（工作人员确认）</translation>
    </message>
    <message>
        <source>Green channel.</source>
        <translation>绿色通道。</translation>
    </message>
    <message>
        <source>Hall database: %1</source>
        <translation>大厅数据库：%1</translation>
    </message>
    <message>
        <source>Holder: %1</source>
        <translation>持票人：%1</translation>
    </message>
    <message>
        <source>ID card read: %1</source>
        <translation>已读取身份证：%1</translation>
    </message>
    <message>
        <source>ID card reader not working</source>
        <translation>身份证阅读器故障</translation>
    </message>
    <message>
        <source>ID card reader: %1</source>
        <translation>身份证阅读器：%1</translation>
    </message>
    <message>
        <source>ID card required</source>
        <translation>需刷身份证</translation>
    </message>
    <message>
        <source>Idle time-out</source>
        <translation>无操作返回首页</translation>
    </message>
    <message>
        <source>Kiosk administration</source>
        <translation>取号机管理</translation>
    </message>
    <message>
        <source>Large print</source>
        <translation>长辈模式</translation>
    </message>
    <message>
        <source>Large print and voice guidance are on. Please tap the service you need.</source>
        <translation>已开启长辈模式和语音提示，请点击您要办理的业务。</translation>
    </message>
    <message>
        <source>Large print only</source>
        <translation>仅长辈模式</translation>
    </message>
    <message>
        <source>Lay the card flat on the reader area below the screen. Resident ID cards, residence permits and permanent residence cards are accepted.</source>
        <translation>请将证件平放在屏幕下方的读卡区。支持居民身份证、港澳台居民居住证和外国人永久居留身份证。</translation>
    </message>
    <message>
        <source>Loading services…</source>
        <translation>正在加载业务…</translation>
    </message>
    <message>
        <source>Military (service or veteran)</source>
        <translation>现役及退役军人</translation>
    </message>
    <message>
        <source>No more numbers today</source>
        <translation>今日号源已发完</translation>
    </message>
    <message>
        <source>No tickets issued yet</source>
        <translation>本机今日尚未取号</translation>
    </message>
    <message>
        <source>Not me</source>
        <translation>不是我</translation>
    </message>
    <message>
        <source>Not open now</source>
        <translation>当前不在办理时间</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>On</source>
        <translation>开启</translation>
    </message>
    <message>
        <source>Or ask at the service desk for a printed copy.</source>
        <translation>或到服务台补打号票。</translation>
    </message>
    <message>
        <source>Other, confirmed by staff</source>
        <translation>其他（工作人员确认）</translation>
    </message>
    <message>
        <source>Please choose a service</source>
        <translation>请选择办理业务</translation>
    </message>
    <message>
        <source>Please choose the reason first.</source>
        <translation>请先选择类别。</translation>
    </message>
    <message>
        <source>Please come back on the next working day.</source>
        <translation>请于下一个工作日再来。</translation>
    </message>
    <message>
        <source>Please place your ID card on the reader</source>
        <translation>请将身份证放在读卡区</translation>
    </message>
    <message>
        <source>Please place your ID card on the reader.</source>
        <translation>请将身份证放在读卡区。</translation>
    </message>
    <message>
        <source>Please take a photo of this screen to keep your number.</source>
        <translation>请用手机拍照保存本屏幕上的号码。</translation>
    </message>
    <message>
        <source>Please take your ticket below.</source>
        <translation>请在下方取走号票。</translation>
    </message>
    <message>
        <source>Please wait a moment</source>
        <translation>请稍候</translation>
    </message>
    <message>
        <source>Please wait in the seating area and watch for your number on the screens.</source>
        <translation>请在休息区等候，留意叫号及大屏信息</translation>
    </message>
    <message>
        <source>Pregnant woman</source>
        <translation>孕妇</translation>
    </message>
    <message>
        <source>Print again</source>
        <translation>重新打印</translation>
    </message>
    <message>
        <source>Printer: %1 · jobs waiting: %2</source>
        <translation>打印机：%1 · 待打印：%2</translation>
    </message>
    <message>
        <source>Printing your ticket…</source>
        <translation>正在打印号票…</translation>
    </message>
    <message>
        <source>Reading the card — please keep it still…</source>
        <translation>正在读卡，请勿移动证件…</translation>
    </message>
    <message>
        <source>Reprint a recent ticket</source>
        <translation>补打最近的号票</translation>
    </message>
    <message>
        <source>Retry printer</source>
        <translation>重试打印</translation>
    </message>
    <message>
        <source>Services will appear as soon as the system is back.</source>
        <translation>系统恢复后将显示业务列表。</translation>
    </message>
    <message>
        <source>Sorry</source>
        <translation>抱歉</translation>
    </message>
    <message>
        <source>Staff PIN</source>
        <translation>工作人员密码</translation>
    </message>
    <message>
        <source>Standard print</source>
        <translation>标准模式</translation>
    </message>
    <message>
        <source>Start in large print</source>
        <translation>默认长辈模式</translation>
    </message>
    <message>
        <source>Start language</source>
        <translation>默认语言</translation>
    </message>
    <message>
        <source>Station: %1</source>
        <translation>终端：%1</translation>
    </message>
    <message>
        <source>Take a number — one tap</source>
        <translation>一键取号</translation>
    </message>
    <message>
        <source>Taking your number…</source>
        <translation>正在取号…</translation>
    </message>
    <message>
        <source>The ID card reader is not working. Please ask at the service desk.</source>
        <translation>身份证阅读器暂时无法使用，请到服务台咨询。</translation>
    </message>
    <message>
        <source>This ID card has expired. Please go to the service desk.</source>
        <translation>证件已过期，请到服务台办理。</translation>
    </message>
    <message>
        <source>Please lift the card off the reader and place it again.</source>
        <translation>请移开证件后重新放置。</translation>
    </message>
    <message>
        <source>ID card expired</source>
        <translation>证件已过期</translation>
    </message>
    <message>
        <source>The card could not be read. Please take it off and place it again.</source>
        <translation>读卡失败，请取下证件后重新放置。</translation>
    </message>
    <message>
        <source>The printer is not working. Please take a photo of your number or ask at the service desk.</source>
        <translation>打印机暂时无法打印，请拍照保存号码，或到服务台补打。</translation>
    </message>
    <message>
        <source>The system is reconnecting to the hall database. Numbers can be taken again in a moment.</source>
        <translation>系统正在重新连接，请稍候再取号。</translation>
    </message>
    <message>
        <source>The system is reconnecting, please wait a moment…</source>
        <translation>系统正在重新连接，请稍候…</translation>
    </message>
    <message>
        <source>The ticket printer is not working right now</source>
        <translation>号票打印机暂时无法打印</translation>
    </message>
    <message>
        <source>The ticket printer is out of order: your number will be shown on screen. Staff have been told.</source>
        <translation>号票打印机故障：号码将显示在屏幕上，工作人员已收到通知。</translation>
    </message>
    <message>
        <source>Ticket shown for</source>
        <translation>号码显示时长</translation>
    </message>
    <message>
        <source>Too many wrong PINs. Please wait a minute.</source>
        <translation>密码错误次数过多，请一分钟后再试。</translation>
    </message>
    <message>
        <source>Voice prompts</source>
        <translation>语音提示</translation>
    </message>
    <message>
        <source>Waiting for the card…</source>
        <translation>等待放置证件…</translation>
    </message>
    <message>
        <source>Wrong PIN. Please try again.</source>
        <translation>密码错误，请重新输入。</translation>
    </message>
    <message>
        <source>Your number</source>
        <translation>您的号码</translation>
    </message>
    <message>
        <source>Your number is %1. %2 people are ahead of you.</source>
        <translation>您的号码是%1，前面还有%2人在等待。</translation>
    </message>
    <message>
        <source>Your number is valid; staff have been told.</source>
        <translation>号码已生效，工作人员已收到通知。</translation>
    </message>
    <message>
        <source>aged 70+: green channel</source>
        <translation>70岁以上，绿色通道</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>已连接</translation>
    </message>
    <message>
        <source>now choose a service</source>
        <translation>请选择业务</translation>
    </message>
    <message>
        <source>unreachable</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <source>%1 case(s) found</source>
        <translation>查到 %1 件办件</translation>
    </message>
    <message>
        <source>%1 tries left.</source>
        <translation>还可尝试 %1 次。</translation>
    </message>
    <message>
        <source>(by %1)</source>
        <translation>（请于 %1 前补交）</translation>
    </message>
    <message>
        <source>Approved; the result is being prepared. You will be told when to collect it.</source>
        <translation>已审批通过，正在准备出件，可领取时将通知您。</translation>
    </message>
    <message>
        <source>Case number %1</source>
        <translation>办件编号 %1</translation>
    </message>
    <message>
        <source>Case number and the last four digits of the phone you gave</source>
        <translation>请输入办件编号和办理时预留手机号的后四位</translation>
    </message>
    <message>
        <source>Case number, e.g. %1-20261123-0001</source>
        <translation>办件编号，如 %1-20261123-0001</translation>
    </message>
    <message>
        <source>Case progress</source>
        <translation>办件查询</translation>
    </message>
    <message>
        <source>ID card: %1 · %2 case(s)</source>
        <translation>身份证：%1 · 共 %2 件</translation>
    </message>
    <message>
        <source>Lift your ID card or tap Done when you have finished: the screen is cleared.</source>
        <translation>查询完毕请取走身份证或点“完成”，屏幕内容将清除。</translation>
    </message>
    <message>
        <source>Look up</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Look up by case number</source>
        <translation>按办件编号查询</translation>
    </message>
    <message>
        <source>Looking up your cases…</source>
        <translation>正在查询，请稍候…</translation>
    </message>
    <message>
        <source>No matching case. Please check the case number and the last four digits of the phone.</source>
        <translation>未查到相符的办件，请核对办件编号和手机号后四位。</translation>
    </message>
    <message>
        <source>Or hold the QR code on your receipt under the scanner.</source>
        <translation>或将受理回执上的二维码对准扫码口。</translation>
    </message>
    <message>
        <source>Phone, last 4 digits: %1</source>
        <translation>手机号后四位：%1</translation>
    </message>
    <message>
        <source>Place your ID card on the reader to see all your cases.</source>
        <translation>请将身份证放在读卡区，查看您的全部办件。</translation>
    </message>
    <message>
        <source>Place your ID card on the reader, or scan the QR code on your receipt.</source>
        <translation>请放置身份证，或扫描受理回执上的二维码。</translation>
    </message>
    <message>
        <source>Please ask at the service desk about the reasons and what you can do.</source>
        <translation>请到服务台咨询原因和后续办理方式。</translation>
    </message>
    <message>
        <source>Please bring the missing materials and apply again.</source>
        <translation>请补齐材料后重新提交。</translation>
    </message>
    <message>
        <source>Promised by %1</source>
        <translation>承诺办结 %1</translation>
    </message>
    <message>
        <source>Ready: collect it at the service desk with your ID card.</source>
        <translation>已可领取：请持身份证到服务台领取。</translation>
    </message>
    <message>
        <source>Ready: collect it at window %1 with your ID card.</source>
        <translation>已可领取：请持身份证到 %1 号窗口领取。</translation>
    </message>
    <message>
        <source>Sent by mail: %1 %2</source>
        <translation>已邮寄：%1 %2</translation>
    </message>
    <message>
        <source>Status: %1</source>
        <translation>办理状态：%1</translation>
    </message>
    <message>
        <source>Still to bring: %1</source>
        <translation>还需补交：%1</translation>
    </message>
    <message>
        <source>The ID card reader is not available.</source>
        <translation>身份证读卡器暂不可用。</translation>
    </message>
    <message>
        <source>The case number is on your receipt. The hall code in front may be left out.</source>
        <translation>办件编号印在受理回执上，前面的大厅代码可不输入。</translation>
    </message>
    <message>
        <source>The lookup did not work. Please ask at the service desk.</source>
        <translation>查询未成功，请到服务台咨询。</translation>
    </message>
    <message>
        <source>The result has been handed over.</source>
        <translation>办理结果已领取。</translation>
    </message>
    <message>
        <source>The system cannot reach the hall database. Please try again in a moment.</source>
        <translation>系统暂时无法连接大厅数据库，请稍后再试。</translation>
    </message>
    <message>
        <source>There is no case in this hall for this ID card.</source>
        <translation>本大厅没有该身份证的办件。</translation>
    </message>
    <message>
        <source>Too many tries. Please wait a minute or ask at the service desk.</source>
        <translation>尝试次数过多，请一分钟后再试或到服务台咨询。</translation>
    </message>
    <message>
        <source>Type the case number</source>
        <translation>输入办件编号查询</translation>
    </message>
    <message>
        <source>Type the case number, then the last four digits of your phone.</source>
        <translation>请输入办件编号，再输入手机号后四位。</translation>
    </message>
    <message>
        <source>Your cases</source>
        <translation>我的办件</translation>
    </message>
    <message>
        <source>Your cases are on the screen.</source>
        <translation>您的办件已显示在屏幕上。</translation>
    </message>
    <message>
        <source>due by the next working day</source>
        <translation>下一个工作日到期</translation>
    </message>
    <message>
        <source>due soon</source>
        <translation>即将到期</translation>
    </message>
    <message>
        <source>materials overdue</source>
        <translation>补交材料已超期</translation>
    </message>
    <message>
        <source>past the promised date</source>
        <translation>已超期</translation>
    </message>
    <message>
        <source>How satisfied are you?</source>
        <translation>您对本次服务满意吗？</translation>
    </message>
    <message>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <source>Nothing to rate: a service can be rated once, after it has finished at a window.</source>
        <translation>没有可评价的服务：窗口办理结束后可评价，每次服务只能评价一次。</translation>
    </message>
    <message>
        <source>Place your ID card on the reader, or type the number on your ticket.</source>
        <translation>请放置身份证，或输入排队小票上的号码。</translation>
    </message>
    <message>
        <source>Place your ID card, scan your ticket or receipt, or type the ticket number.</source>
        <translation>请放置身份证，扫描排队小票或受理回执上的二维码，或输入小票号码。</translation>
    </message>
    <message>
        <source>This case was not handed over today: nothing to rate.</source>
        <translation>这件办件今天没有出件，暂无可评价的服务。</translation>
    </message>
    <message>
        <source>Please choose at least one reason.</source>
        <translation>请至少选择一项原因。</translation>
    </message>
    <message>
        <source>Rate our service</source>
        <translation>服务评价</translation>
    </message>
    <message>
        <source>Submit</source>
        <translation>提交评价</translation>
    </message>
    <message>
        <source>Thank you for your rating</source>
        <translation>感谢您的评价</translation>
    </message>
    <message>
        <source>This service has been rated already. Thank you.</source>
        <translation>本次服务已评价，谢谢。</translation>
    </message>
    <message>
        <source>Ticket number, e.g. A001</source>
        <translation>小票号码，如 A001</translation>
    </message>
    <message>
        <source>What went wrong? (choose one or more)</source>
        <translation>不满意的原因（可多选）</translation>
    </message>
    <message>
        <source>Which service would you like to rate?</source>
        <translation>请选择要评价的服务</translation>
    </message>
    <message>
        <source>Your rating helps the hall serve you better.</source>
        <translation>您的评价将帮助我们改进服务。</translation>
    </message>
    <message>
        <source>window %1</source>
        <translation>%1 号窗口</translation>
    </message>
    <message>
        <source>Rating</source>
        <translation>服务评价</translation>
    </message>
    <message>
        <source>Appointment check-in</source>
        <translation>预约签到</translation>
    </message>
    <message>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <source>There is no appointment for this ID card today.</source>
        <translation>今天没有查到该身份证的预约</translation>
    </message>
    <message>
        <source>Check-in did not work. Please ask at the service desk.</source>
        <translation>签到未成功，请到服务台咨询</translation>
    </message>
    <message>
        <source>Tap Check in to take your number.</source>
        <translation>请点击“签到取号”</translation>
    </message>
    <message>
        <source>Your appointment is %1. Please come back to check in after %2.</source>
        <translation>您的预约时段是 %1，请 %2 后再来签到</translation>
    </message>
    <message>
        <source>Your appointment time has passed. Please take an ordinary number.</source>
        <translation>已超过预约时段，请取普通号</translation>
    </message>
    <message>
        <source>You have checked in already. Your number is %1.</source>
        <translation>您已签到，您的号码是 %1</translation>
    </message>
    <message>
        <source>Place your ID card on the reader to check in for today&apos;s appointment.</source>
        <translation>请将身份证放在读卡区，为今天的预约签到</translation>
    </message>
    <message>
        <source>Checking you in…</source>
        <translation>正在签到…</translation>
    </message>
    <message>
        <source>Looking up your appointment…</source>
        <translation>正在查询您的预约…</translation>
    </message>
    <message>
        <source>Your appointment today</source>
        <translation>您今天的预约</translation>
    </message>
    <message>
        <source>Appointment time %1</source>
        <translation>预约时段 %1</translation>
    </message>
    <message>
        <source>Check in</source>
        <translation>签到取号</translation>
    </message>
    <message>
        <source>Booked by: %1</source>
        <translation>预约人：%1</translation>
    </message>
    <message>
        <source>There is no e-certificate for this ID card yet.</source>
        <translation>暂无该身份证的电子证照。</translation>
    </message>
    <message>
        <source>This certificate has expired and cannot be printed. Please ask at the desk.</source>
        <translation>该证照已过有效期，不能打印。请到服务台咨询。</translation>
    </message>
    <message>
        <source>The printer ran out of paper and your certificate was not printed. Please ask staff to load paper, then tap Print again.</source>
        <translation>打印机缺纸，证照未打印。请联系工作人员加纸后，再点“打印”。</translation>
    </message>
    <message>
        <source>The printer is not working. Please ask staff, or try again later.</source>
        <translation>打印机故障，请联系工作人员，或稍后再试。</translation>
    </message>
    <message>
        <source>This kiosk cannot print certificates. Please ask at the service desk.</source>
        <translation>本机不能打印证照，请到服务台办理。</translation>
    </message>
    <message>
        <source>Printing did not work. Please ask at the service desk.</source>
        <translation>打印未成功，请到服务台咨询。</translation>
    </message>
    <message>
        <source>Printing the receipt…</source>
        <translation>正在打印回执……</translation>
    </message>
    <message>
        <source>Receipt printed: please take it from the slot.</source>
        <translation>回执已打印，请从出纸口取走。</translation>
    </message>
    <message>
        <source>The printer has run out of paper. Please ask staff.</source>
        <translation>打印机缺纸，请联系工作人员。</translation>
    </message>
    <message>
        <source>This kiosk has no receipt printer. Please ask at the service desk.</source>
        <translation>本机没有回执打印机，请到服务台办理。</translation>
    </message>
    <message>
        <source>Issued by %1 on %2</source>
        <translation>%1 · %2 发证</translation>
    </message>
    <message>
        <source>Valid: no expiry date</source>
        <translation>有效期：长期</translation>
    </message>
    <message>
        <source>Valid until %1</source>
        <translation>有效期至 %1</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>Certificate code …%1</source>
        <translation>证照标识 …%1</translation>
    </message>
    <message>
        <source>Cannot print</source>
        <translation>不能打印</translation>
    </message>
    <message>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <source>Print an e-certificate</source>
        <translation>电子证照打印</translation>
    </message>
    <message>
        <source>Place your ID card on the reader to see your e-certificates.</source>
        <translation>请将身份证放在读卡区，查看您的电子证照。</translation>
    </message>
    <message>
        <source>Certificates issued to you appear here once the department has issued them.</source>
        <translation>部门签发电子证照后，即可在此打印。</translation>
    </message>
    <message>
        <source>Your e-certificates</source>
        <translation>您的电子证照</translation>
    </message>
    <message>
        <source>ID card: %1 · %2 certificate(s)</source>
        <translation>身份证：%1 · 共 %2 个证照</translation>
    </message>
    <message>
        <source>Printed on A4 paper, with a usage watermark and a QR code to verify it.</source>
        <translation>用 A4 纸打印，带用途水印和核验二维码。</translation>
    </message>
    <message>
        <source>Printed as a slip with a QR code to verify the certificate.</source>
        <translation>打印为凭条，带证照核验二维码。</translation>
    </message>
    <message>
        <source>Printing your certificate…</source>
        <translation>正在打印您的证照……</translation>
    </message>
    <message>
        <source>Please wait: the A4 printer is working.</source>
        <translation>请稍候，打印机正在打印。</translation>
    </message>
    <message>
        <source>Please wait: the slip is being printed.</source>
        <translation>请稍候，正在打印凭条。</translation>
    </message>
    <message>
        <source>Please take your printout</source>
        <translation>请取走打印件</translation>
    </message>
    <message>
        <source>Take the printed certificate from the printer below the screen.</source>
        <translation>请从屏幕下方的打印机取走证照。</translation>
    </message>
    <message>
        <source>Take the slip from the slot below the screen.</source>
        <translation>请从屏幕下方的出纸口取走凭条。</translation>
    </message>
    <message>
        <source>Print another</source>
        <translation>再打一份</translation>
    </message>
    <message>
        <source>Looking up your certificates…</source>
        <translation>正在查询您的证照……</translation>
    </message>
    <message>
        <source>Your e-certificates are on the screen. Tap Print beside the one you need.</source>
        <translation>您的电子证照已显示在屏幕上，请点所需证照旁的“打印”。</translation>
    </message>
    <message>
        <source>Reprint receipt</source>
        <translation>补打回执</translation>
    </message>
    <message>
        <source>Print certificate</source>
        <translation>证照打印</translation>
    </message>
</context>
</TS>

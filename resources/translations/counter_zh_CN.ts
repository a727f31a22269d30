<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ApplicantPanel</name>
    <message>
        <location filename="../../counter/applicant_panel.py" line="52"/>
        <source>Applicant (ID card)</source>
        <translation>申请人（身份证）</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="55"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="55"/>
        <source>ID number</source>
        <translation>证件号码</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="55"/>
        <source>Card type</source>
        <translation>证件类型</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="55"/>
        <source>Age</source>
        <translation>年龄</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="55"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="59"/>
        <source>Place the applicant&apos;s ID card on the reader.</source>
        <translation>请将申请人身份证放在阅读器上。</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="76"/>
        <source>Long-term</source>
        <translation>长期</translation>
    </message>
    <message>
        <location filename="../../counter/applicant_panel.py" line="80"/>
        <source>(expired)</source>
        <translation>（已过期）</translation>
    </message>
</context>
<context>
    <name>CallPanel</name>
    <message>
        <location filename="../../counter/call_panel.py" line="288"/>
        <source>Call next</source>
        <translation>叫号</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="289"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="290"/>
        <source>Skip / no-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="291"/>
        <source>Transfer…</source>
        <translation>转移…</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="292"/>
        <source>Finish</source>
        <translation>办结</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="293"/>
        <source>Pause…</source>
        <translation>暂停服务…</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="294"/>
        <source>Resume</source>
        <translation>恢复服务</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="299"/>
        <source>Now serving</source>
        <translation>正在办理</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="300"/>
        <source>Waiting for this window</source>
        <translation>本窗口等候情况</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="396"/>
        <source>Window paused: %1</source>
        <translation>窗口已暂停：%1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../counter/call_panel.py" line="406"/>
        <source>No ticket at this window. %n waiting.</source>
        <translation>
            <numerusform>当前无办理中的号，等候 %n 人。</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="408"/>
        <source>Loading…</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="414"/>
        <source>Green channel</source>
        <translation>绿色通道</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="415"/>
        <source>Appointment</source>
        <translation>网上预约</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="416"/>
        <source>Normal</source>
        <translation>普通</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="425"/>
        <source>(transferred from %1)</source>
        <translation>（由 %1 转入）</translation>
    </message>
    <message numerus="yes">
        <location filename="../../counter/call_panel.py" line="427"/>
        <source>Waited %n min</source>
        <translation>
            <numerusform>已等候 %n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="431"/>
        <source>At the window for %1</source>
        <translation>窗口办理 %1</translation>
    </message>
    <message numerus="yes">
        <location filename="../../counter/call_panel.py" line="433"/>
        <source>Called %n times</source>
        <translation>
            <numerusform>已呼叫 %n 次</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="434"/>
        <source>no ID card at issue</source>
        <translation>取号时未刷身份证</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="435"/>
        <source>Holder: %1</source>
        <translation>取号人：%1</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="477"/>
        <source>The hall database cannot be reached; retrying.</source>
        <translation>数据库暂时无法连接，正在重试。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="480"/>
        <source>Could not load the window: %1</source>
        <translation>无法读取窗口状态：%1</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="473"/>
        <source>The hall database cannot be reached; nothing was changed.</source>
        <translation>数据库暂时无法连接，操作未生效。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="76"/>
        <source>Call next?</source>
        <translation>确认叫下一号？</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="78"/>
        <source>%1 was called only %2 s ago.</source>
        <translation>%1 在 %2 秒前刚叫号。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="83"/>
        <source>Calling the next number finishes %1. Finish %1 and call the next?</source>
        <translation>叫下一号将把 %1 记为办结。确定办结 %1 并叫下一号吗？</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="87"/>
        <source>Yes, finish and call next</source>
        <translation>是，办结并叫下一号</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="90"/>
        <source>No, keep serving %1</source>
        <translation>否，继续办理 %1</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="475"/>
        <source>The action failed: %1</source>
        <translation>操作失败：%1</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="490"/>
        <source>Nobody is waiting for this window.</source>
        <translation>本窗口暂无等候。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="491"/>
        <source>Called %1.</source>
        <translation>已呼叫 %1。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="493"/>
        <source>Recalled %1.</source>
        <translation>已重呼 %1。</translation>
    </message>
    <message>
        <source>%1 did not come; put back in the queue.</source>
        <translation type="vanished">%1 未到，已重新排队。</translation>
    </message>
    <message>
        <source>%1 did not come; marked as no-show.</source>
        <translation type="vanished">%1 未到，已作过号处理。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="495"/>
        <source>%1 transferred to %2.</source>
        <translation>%1 已转至“%2”。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="497"/>
        <source>%1 finished.</source>
        <translation>%1 已办结。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="499"/>
        <source>Window paused.</source>
        <translation>窗口已暂停服务。</translation>
    </message>
    <message>
        <location filename="../../counter/call_panel.py" line="501"/>
        <source>Window resumed.</source>
        <translation>窗口已恢复服务。</translation>
    </message>
</context>
<context>
    <name>CounterStatusBar</name>
    <message>
        <location filename="../../counter/status_bar.py" line="78"/>
        <location filename="../../counter/status_bar.py" line="91"/>
        <source>ready</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="79"/>
        <source>check card</source>
        <translation>请检查证件</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="80"/>
        <location filename="../../counter/status_bar.py" line="96"/>
        <source>not connected</source>
        <translation>未连接</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="81"/>
        <source>none</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="85"/>
        <source>connecting</source>
        <translation>连接中</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="86"/>
        <source>Reader: %1</source>
        <translation>读卡器：%1</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="92"/>
        <source>paper low</source>
        <translation>纸将用尽</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="93"/>
        <source>unknown</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="94"/>
        <source>out of paper</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="95"/>
        <source>offline</source>
        <translation>脱机</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="100"/>
        <source>Printer: %1</source>
        <translation>打印机：%1</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="107"/>
        <source>Database: connected</source>
        <translation>数据库：已连接</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="107"/>
        <source>Database: unreachable</source>
        <translation>数据库：无法连接</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="113"/>
        <source>up to date</source>
        <translation>已同步</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="113"/>
        <source>pending</source>
        <translation>待同步</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="113"/>
        <source>failing</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="113"/>
        <source>not set up</source>
        <translation>未配置</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="114"/>
        <source>Central sync: %1</source>
        <translation>中心同步：%1</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="140"/>
        <source>Last success: %1</source>
        <translation>上次成功：%1</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="140"/>
        <source>Refused by the server: %1 (see the manager)</source>
        <translation>被中心拒收：%1 条（请大厅管理员处理）</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="140"/>
        <source>Central sync: up to date (%1)</source>
        <translation>中心同步：已同步（%1）</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="140"/>
        <source>Central sync: %1 pending, oldest %2 min, last success %3</source>
        <translation>中心同步：待上传 %1 条，最早 %2 分钟前，上次成功 %3</translation>
    </message>
    <message>
        <location filename="../../counter/status_bar.py" line="170"/>
        <source>Central sync: not set up, %1 waiting</source>
        <translation>中心同步：未配置，待上传 %1 条</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../counter/main_window.py" line="138"/>
        <location filename="../../counter/main_window.py" line="152"/>
        <source>Window %1</source>
        <translation>%1号窗口</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="139"/>
        <source>OneWindow counter — %1</source>
        <translation>一窗通窗口 — %1</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="141"/>
        <source>Hall manager</source>
        <translation>大厅管理员</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="141"/>
        <source>Window staff</source>
        <translation>窗口人员</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="144"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="145"/>
        <source>Intake checklist</source>
        <translation>受理清单</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="147"/>
        <source>The universal-intake checklist for the chosen matters will appear here.</source>
        <translation>所选事项的无差别受理清单将显示在此处。</translation>
    </message>
    <message>
        <location filename="../../counter/main_window.py" line="153"/>
        <source>%1 was taken over by another counter.</source>
        <translation>%1已由另一台窗口电脑接管。</translation>
    </message>
</context>
<context>
    <name>DeviceAlertStrip</name>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="80"/>
        <source>sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="80"/>
        <source>not sent for too long</source>
        <translation>积压超时未上传</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="80"/>
        <source>refused by the server</source>
        <translation>有记录被中心拒收</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="80"/>
        <source>Central server</source>
        <translation>中心服务器</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="53"/>
        <source>Device alerts</source>
        <translation>设备告警</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="80"/>
        <source>%1: %2 %3  (%4)</source>
        <translation>%1：%2%3（%4）</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="88"/>
        <source>printer</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="88"/>
        <source>ID card reader</source>
        <translation>身份证阅读器</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="93"/>
        <source>out of paper</source>
        <translation>缺纸</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="94"/>
        <source>paper low</source>
        <translation>纸将用尽</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="95"/>
        <source>offline</source>
        <translation>脱机</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="96"/>
        <location filename="../../counter/device_alert_strip.py" line="98"/>
        <source>not connected</source>
        <translation>无法连接</translation>
    </message>
    <message>
        <location filename="../../counter/device_alert_strip.py" line="97"/>
        <source>status unknown</source>
        <translation>状态未知</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../counter/login_dialog.py" line="140"/>
        <source>OneWindow counter — log in</source>
        <translation>一窗通窗口 — 登录</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="141"/>
        <source>Counter log in</source>
        <translation>窗口登录</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="142"/>
        <source>Staff user name</source>
        <translation>工号</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="143"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="144"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="145"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="146"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="147"/>
        <source>e.g. w3</source>
        <translation>例如 w3</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="155"/>
        <source>Window %1</source>
        <translation>%1号窗口</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="174"/>
        <location filename="../../counter/login_dialog.py" line="186"/>
        <source>Checking…</source>
        <translation>正在验证…</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="199"/>
        <source>%1 is in use by %2 (%3) at %4.</source>
        <translation>%1 正由 %2（%3）在 %4 使用。</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="206"/>
        <source>Take this window over? The other counter will be logged out.</source>
        <translation>是否接管此窗口？另一台电脑将被退出登录。</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="212"/>
        <source>Choose another window, or ask the hall manager.</source>
        <translation>请选择其他窗口，或联系大厅管理员。</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="233"/>
        <source>The hall database cannot be reached; please try again.</source>
        <translation>数据库暂时无法连接，请稍后再试。</translation>
    </message>
    <message>
        <location filename="../../counter/login_dialog.py" line="235"/>
        <source>Login failed: %1</source>
        <translation>登录失败：%1</translation>
    </message>
</context>
<context>
    <name>PauseDialog</name>
    <message>
        <location filename="../../counter/pause_dialog.py" line="16"/>
        <source>Pause window</source>
        <translation>暂停服务</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="17"/>
        <source>Why is the window pausing?</source>
        <translation>暂停服务的原因：</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="22"/>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="22"/>
        <source>Meeting</source>
        <translation>开会</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="22"/>
        <source>Back-office work</source>
        <translation>后台工作</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="22"/>
        <source>System fault</source>
        <translation>系统故障</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="28"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../counter/pause_dialog.py" line="29"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>TransferDialog</name>
    <message>
        <location filename="../../counter/transfer_dialog.py" line="27"/>
        <source>Transfer ticket</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../../counter/transfer_dialog.py" line="28"/>
        <source>Transfer %1 to which service? It keeps its place by issue time.</source>
        <translation>将 %1 转至哪项业务？按原取号时间排队。</translation>
    </message>
    <message>
        <location filename="../../counter/transfer_dialog.py" line="39"/>
        <source>Transfer</source>
        <translation>转移</translation>
    </message>
    <message>
        <location filename="../../counter/transfer_dialog.py" line="40"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>WaitingCountsModel</name>
    <message numerus="yes">
        <location filename="../../counter/waiting_model.py" line="56"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../counter/waiting_model.py" line="65"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../../counter/waiting_model.py" line="66"/>
        <source>Weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <location filename="../../counter/waiting_model.py" line="67"/>
        <source>Waiting</source>
        <translation>等候人数</translation>
    </message>
    <message>
        <location filename="../../counter/waiting_model.py" line="68"/>
        <source>Est. wait</source>
        <translation>预计等候</translation>
    </message>
</context>
</TS>

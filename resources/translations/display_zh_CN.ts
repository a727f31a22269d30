<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>DisplayWindow</name>
    <message>
        <location filename="../../kiosk/display/window.py" line="293"/>
        <source>Window %1</source>
        <translation>%1号窗口</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="296"/>
        <source>OneWindow hall display</source>
        <translation>一窗通叫号大屏</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="297"/>
        <source>Connection lost — showing the last state</source>
        <translation>数据连接中断，显示最近状态</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="298"/>
        <source>Waiting</source>
        <translation>等候人数</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/display/window.py" line="500"/>
        <source>%n waiting</source>
        <translation>
            <numerusform>等候 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="507"/>
        <location filename="../../kiosk/display/window.py" line="511"/>
        <source>Now calling</source>
        <translation>正在叫号</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="509"/>
        <source>Please wait for your number</source>
        <translation>请留意叫号</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="511"/>
        <source>(again)</source>
        <translation>（重呼）</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/window.py" line="513"/>
        <source>Please go to window %1</source>
        <translation>请到 %1号窗口 办理</translation>
    </message>
</context>
<context>
    <name>RecentCallsModel</name>
    <message>
        <location filename="../../kiosk/display/models.py" line="110"/>
        <source>Number</source>
        <translation>号码</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/models.py" line="112"/>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
</context>
<context>
    <name>WaitingModel</name>
    <message>
        <location filename="../../kiosk/display/models.py" line="135"/>
        <location filename="../../kiosk/display/models.py" line="147"/>
        <source>Closed</source>
        <translation>暂停办理</translation>
    </message>
    <message numerus="yes">
        <location filename="../../kiosk/display/models.py" line="136"/>
        <location filename="../../kiosk/display/models.py" line="147"/>
        <source>%n min</source>
        <translation>
            <numerusform>%n 分钟</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../kiosk/display/models.py" line="151"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/models.py" line="152"/>
        <source>Waiting</source>
        <translation>等候人数</translation>
    </message>
    <message>
        <location filename="../../kiosk/display/models.py" line="153"/>
        <source>Est. wait</source>
        <translation>预计等候</translation>
    </message>
</context>
</TS>

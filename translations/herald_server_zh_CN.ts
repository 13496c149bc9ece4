<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>NotificationText</name>
    <message>
        <source>New mail from %1</source>
        <translation>收到来自 %1 的新邮件</translation>
    </message>
    <message>
        <source>New message from %1</source>
        <translation>收到来自 %1 的新信息</translation>
    </message>
    <message>
        <source>You have new mail</source>
        <translation>您有一封新邮件</translation>
    </message>
    <message>
        <source>You have a new message</source>
        <translation>您有一条新信息</translation>
    </message>
    <message numerus="yes">
        <source>%n new mail(s)</source>
        <translation>
            <numerusform>%n 封新邮件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n 条新信息</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 和 %2</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 and %n other(s)</source>
        <translation>
            <numerusform>%1、%2 和另外 %n 人</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>NotificationText</name>
    <message>
        <source>New mail from %1</source>
        <translation>New mail from %1</translation>
    </message>
    <message>
        <source>New message from %1</source>
        <translation>New message from %1</translation>
    </message>
    <message>
        <source>You have new mail</source>
        <translation>You have new mail</translation>
    </message>
    <message>
        <source>You have a new message</source>
        <translation>You have a new message</translation>
    </message>
    <message numerus="yes">
        <source>%n new mail(s)</source>
        <translation>
            <numerusform>%n new mail</numerusform>
            <numerusform>%n new mails</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n new message(s)</source>
        <translation>
            <numerusform>%n new message</numerusform>
            <numerusform>%n new messages</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 and %2</source>
        <translation>%1 and %2</translation>
    </message>
    <message numerus="yes">
        <source>%1, %2 and %n other(s)</source>
        <translation>
            <numerusform>%1, %2 and %n other</numerusform>
            <numerusform>%1, %2 and %n others</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>herald::AdminClient</name>
    <message>
        <location filename="../console/AdminClient.cpp" line="141"/>
        <source>The server&apos;s certificate (SHA-256 %1) does not match the pinned fingerprint.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AdminClient.cpp" line="143"/>
        <source>The server&apos;s certificate is not trusted by the CA file: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AdminClient.cpp" line="147"/>
        <source>Cannot reach the server: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AdminClient.cpp" line="154"/>
        <source>The server answered %1 without an explanation.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::AuditPage</name>
    <message>
        <location filename="../console/AuditPage.cpp" line="20"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Action</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>From</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Outcome</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="32"/>
        <source>Newest entries:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="47"/>
        <source>Cannot read the audit log: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::CredentialStore</name>
    <message>
        <location filename="../console/CredentialStore.cpp" line="32"/>
        <source>No keychain service is available</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialStore.cpp" line="34"/>
        <source>The password was not remembered: %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::CredentialsDialog</name>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="28"/>
        <source>Name:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="34"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="35"/>
        <source>Repeat password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="39"/>
        <source>Helpdesk (read only)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="40"/>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="41"/>
        <source>Role:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="80"/>
        <source>Names start with a letter or digit and may contain letters, digits and . _ @ + -</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../console/CredentialsDialog.cpp" line="84"/>
        <source>The password must have at least %n characters.</source>
        <translation><numerusform>The password must have at least %n character.</numerusform><numerusform>The password must have at least %n characters.</numerusform></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="88"/>
        <source>The two passwords differ.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::DevicesPage</name>
    <message>
        <location filename="../console/DevicesPage.cpp" line="20"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="21"/>
        <source>Revoke device…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Platform</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Last seen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="31"/>
        <source>Push token</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="31"/>
        <source>Apps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="31"/>
        <source>Registered</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="33"/>
        <source>Needs the admin role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="59"/>
        <source>Choose a user on the Users tab.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="59"/>
        <source>Devices of %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="78"/>
        <source>Cannot list devices: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="95"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="95"/>
        <source>Retired</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../console/DevicesPage.cpp" line="100"/>
        <source>%n device(s)</source>
        <translation><numerusform>%n device</numerusform><numerusform>%n devices</numerusform></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="109"/>
        <source>Revoke device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="110"/>
        <source>Revoke device %1 of %2? It stops receiving notifications until it registers again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="122"/>
        <source>Revoked %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::LoginDialog</name>
    <message>
        <location filename="../console/LoginDialog.cpp" line="32"/>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="35"/>
        <source>Remember the password in the system keychain</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="37"/>
        <source>Log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="39"/>
        <source>Herald console — log in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="43"/>
        <source>SHA-256 fingerprint of the server certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="44"/>
        <source>CA certificate file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="61"/>
        <source>Server:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="62"/>
        <source>Trust:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="64"/>
        <source>Operator:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="65"/>
        <source>Password:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="90"/>
        <source>AB:CD:… (64 hex digits, logged by the server at start)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="91"/>
        <source>Path of a PEM or DER file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="97"/>
        <source>CA certificate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="98"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="114"/>
        <source>The server address must be an https:// URL, e.g. https://herald.example.com:7443.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="126"/>
        <source>Enter the operator name and password.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="130"/>
        <source>Logging in…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="138"/>
        <source>Too many failed attempts: %1</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::MainWindow</name>
    <message>
        <location filename="../console/MainWindow.cpp" line="23"/>
        <source>Herald console — %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="25"/>
        <source>Users</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="26"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="30"/>
        <source>Operators</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="32"/>
        <source>Audit log</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="35"/>
        <source>administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="35"/>
        <source>helpdesk, read only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="36"/>
        <source>Logged in as %1 (%2)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="68"/>
        <source>The session ended (%1). Restart the console to log in again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::OperatorsPage</name>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="19"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="20"/>
        <source>New operator…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="51"/>
        <source>Cannot list operators: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="61"/>
        <source>Administrator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="61"/>
        <source>Helpdesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="62"/>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="62"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="72"/>
        <source>New operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="86"/>
        <source>Created operator %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::ServerTrust</name>
    <message>
        <location filename="../console/ServerTrust.cpp" line="14"/>
        <source>Cannot read the CA file %1: %2</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/ServerTrust.cpp" line="23"/>
        <source>The CA file %1 holds no certificate.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/ServerTrust.cpp" line="38"/>
        <source>The SHA-256 fingerprint must be 64 hexadecimal digits (colons allowed).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>herald::UsersPage</name>
    <message>
        <location filename="../console/UsersPage.cpp" line="19"/>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="20"/>
        <source>New user…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="21"/>
        <source>Disable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="22"/>
        <source>Enable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="23"/>
        <source>Reset password…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Devices</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Created</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="48"/>
        <source>Needs the admin role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="88"/>
        <source>Cannot list users: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="101"/>
        <source>Disabled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="101"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../console/UsersPage.cpp" line="106"/>
        <source>%n user(s)</source>
        <translation><numerusform>%n user</numerusform><numerusform>%n users</numerusform></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="113"/>
        <source>New user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="125"/>
        <source>Created user %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="144"/>
        <source>Disabled %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="144"/>
        <source>Enabled %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="154"/>
        <source>New password for %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="165"/>
        <source>Set a new password for %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>herald::AdminClient</name>
    <message>
        <location filename="../console/AdminClient.cpp" line="141"/>
        <source>The server&apos;s certificate (SHA-256 %1) does not match the pinned fingerprint.</source>
        <translation>服务器证书（SHA-256 %1）与固定的指纹不符。</translation>
    </message>
    <message>
        <location filename="../console/AdminClient.cpp" line="143"/>
        <source>The server&apos;s certificate is not trusted by the CA file: %1</source>
        <translation>CA 文件不信任该服务器证书：%1</translation>
    </message>
    <message>
        <location filename="../console/AdminClient.cpp" line="147"/>
        <source>Cannot reach the server: %1</source>
        <translation>无法连接服务器：%1</translation>
    </message>
    <message>
        <location filename="../console/AdminClient.cpp" line="154"/>
        <source>The server answered %1 without an explanation.</source>
        <translation>服务器返回了 %1，但没有说明原因。</translation>
    </message>
</context>
<context>
    <name>herald::AuditPage</name>
    <message>
        <location filename="../console/AuditPage.cpp" line="20"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>From</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="30"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="32"/>
        <source>Newest entries:</source>
        <translation>最新条目数：</translation>
    </message>
    <message>
        <location filename="../console/AuditPage.cpp" line="47"/>
        <source>Cannot read the audit log: %1</source>
        <translation>无法读取审计日志：%1</translation>
    </message>
</context>
<context>
    <name>herald::CredentialStore</name>
    <message>
        <location filename="../console/CredentialStore.cpp" line="32"/>
        <source>No keychain service is available</source>
        <translation>没有可用的钥匙串服务</translation>
    </message>
    <message>
        <location filename="../console/CredentialStore.cpp" line="34"/>
        <source>The password was not remembered: %1.</source>
        <translation>未记住密码：%1。</translation>
    </message>
</context>
<context>
    <name>herald::CredentialsDialog</name>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="28"/>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="34"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="35"/>
        <source>Repeat password:</source>
        <translation>重复密码：</translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="39"/>
        <source>Helpdesk (read only)</source>
        <translation>服务台（只读）</translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="40"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="41"/>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="80"/>
        <source>Names start with a letter or digit and may contain letters, digits and . _ @ + -</source>
        <translation>名称须以字母或数字开头，只能包含字母、数字和 . _ @ + -</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/CredentialsDialog.cpp" line="84"/>
        <source>The password must have at least %n characters.</source>
        <translation><numerusform>密码至少需要 %n 个字符。</numerusform></translation>
    </message>
    <message>
        <location filename="../console/CredentialsDialog.cpp" line="88"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>herald::DevicesPage</name>
    <message>
        <location filename="../console/DevicesPage.cpp" line="20"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="21"/>
        <source>Revoke device…</source>
        <translation>吊销设备…</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="30"/>
        <source>Last seen</source>
        <translation>最后在线</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="31"/>
        <source>Push token</source>
        <translation>推送令牌</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="31"/>
        <source>Apps</source>
        <translation>应用</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="31"/>
        <source>Registered</source>
        <translation>注册时间</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="33"/>
        <source>Needs the admin role</source>
        <translation>需要管理员角色</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="59"/>
        <source>Choose a user on the Users tab.</source>
        <translation>请在“用户”页选择一个用户。</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="59"/>
        <source>Devices of %1</source>
        <translation>%1 的设备</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="78"/>
        <source>Cannot list devices: %1</source>
        <translation>无法列出设备：%1</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="95"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="95"/>
        <source>Retired</source>
        <translation>已失效</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/DevicesPage.cpp" line="100"/>
        <source>%n device(s)</source>
        <translation><numerusform>%n 台设备</numerusform></translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="109"/>
        <source>Revoke device</source>
        <translation>吊销设备</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="110"/>
        <source>Revoke device %1 of %2? It stops receiving notifications until it registers again.</source>
        <translation>吊销 %2 的设备 %1？在重新注册之前，它将不再收到通知。</translation>
    </message>
    <message>
        <location filename="../console/DevicesPage.cpp" line="122"/>
        <source>Revoked %1.</source>
        <translation>已吊销 %1。</translation>
    </message>
</context>
<context>
    <name>herald::LoginDialog</name>
    <message>
        <location filename="../console/LoginDialog.cpp" line="32"/>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="35"/>
        <source>Remember the password in the system keychain</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="37"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="39"/>
        <source>Herald console — log in</source>
        <translation>Herald 控制台 — 登录</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="43"/>
        <source>SHA-256 fingerprint of the server certificate</source>
        <translation>服务器证书的 SHA-256 指纹</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="44"/>
        <source>CA certificate file</source>
        <translation>CA 证书文件</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="61"/>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="62"/>
        <source>Trust:</source>
        <translation>信任方式：</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="64"/>
        <source>Operator:</source>
        <translation>操作员：</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="65"/>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="90"/>
        <source>AB:CD:… (64 hex digits, logged by the server at start)</source>
        <translation>AB:CD:…（64 位十六进制，服务器启动时记录在日志中）</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="91"/>
        <source>Path of a PEM or DER file</source>
        <translation>PEM 或 DER 文件的路径</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="97"/>
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="98"/>
        <source>Certificates (*.pem *.crt *.cer *.der);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer *.der);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="114"/>
        <source>The server address must be an https:// URL, e.g. https://herald.example.com:7443.</source>
        <translation>服务器地址必须是 https:// 网址，例如 https://herald.example.com:7443。</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="126"/>
        <source>Enter the operator name and password.</source>
        <translation>请输入操作员名称和密码。</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="130"/>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <location filename="../console/LoginDialog.cpp" line="138"/>
        <source>Too many failed attempts: %1</source>
        <translation>失败次数过多：%1</translation>
    </message>
</context>
<context>
    <name>herald::MainWindow</name>
    <message>
        <location filename="../console/MainWindow.cpp" line="23"/>
        <source>Herald console — %1</source>
        <translation>Herald 控制台 — %1</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="25"/>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="26"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="30"/>
        <source>Operators</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="32"/>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="35"/>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="35"/>
        <source>helpdesk, read only</source>
        <translation>服务台，只读</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="36"/>
        <source>Logged in as %1 (%2)</source>
        <translation>已登录：%1（%2）</translation>
    </message>
    <message>
        <location filename="../console/MainWindow.cpp" line="68"/>
        <source>The session ended (%1). Restart the console to log in again.</source>
        <translation>会话已结束（%1）。请重新启动控制台并登录。</translation>
    </message>
</context>
<context>
    <name>herald::OperatorsPage</name>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="19"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="20"/>
        <source>New operator…</source>
        <translation>新建操作员…</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="27"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="51"/>
        <source>Cannot list operators: %1</source>
        <translation>无法列出操作员：%1</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="61"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="61"/>
        <source>Helpdesk</source>
        <translation>服务台</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="62"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="62"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="72"/>
        <source>New operator</source>
        <translation>新建操作员</translation>
    </message>
    <message>
        <location filename="../console/OperatorsPage.cpp" line="86"/>
        <source>Created operator %1.</source>
        <translation>已创建操作员 %1。</translation>
    </message>
</context>
<context>
    <name>herald::ServerTrust</name>
    <message>
        <location filename="../console/ServerTrust.cpp" line="14"/>
        <source>Cannot read the CA file %1: %2</source>
        <translation>无法读取 CA 文件 %1：%2</translation>
    </message>
    <message>
        <location filename="../console/ServerTrust.cpp" line="23"/>
        <source>The CA file %1 holds no certificate.</source>
        <translation>CA 文件 %1 中没有证书。</translation>
    </message>
    <message>
        <location filename="../console/ServerTrust.cpp" line="38"/>
        <source>The SHA-256 fingerprint must be 64 hexadecimal digits (colons allowed).</source>
        <translation>SHA-256 指纹必须是 64 位十六进制数字（可含冒号）。</translation>
    </message>
</context>
<context>
    <name>herald::UsersPage</name>
    <message>
        <location filename="../console/UsersPage.cpp" line="19"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="20"/>
        <source>New user…</source>
        <translation>新建用户…</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="21"/>
        <source>Disable</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="22"/>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="23"/>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="34"/>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="48"/>
        <source>Needs the admin role</source>
        <translation>需要管理员角色</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="88"/>
        <source>Cannot list users: %1</source>
        <translation>无法列出用户：%1</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="101"/>
        <source>Disabled</source>
        <translation>已停用</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="101"/>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message numerus="yes">
        <location filename="../console/UsersPage.cpp" line="106"/>
        <source>%n user(s)</source>
        <translation><numerusform>%n 个用户</numerusform></translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="113"/>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="125"/>
        <source>Created user %1.</source>
        <translation>已创建用户 %1。</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="144"/>
        <source>Disabled %1.</source>
        <translation>已停用 %1。</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="144"/>
        <source>Enabled %1.</source>
        <translation>已启用 %1。</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="154"/>
        <source>New password for %1</source>
        <translation>为 %1 设置新密码</translation>
    </message>
    <message>
        <location filename="../console/UsersPage.cpp" line="165"/>
        <source>Set a new password for %1.</source>
        <translation>已为 %1 设置新密码。</translation>
    </message>
</context>
</TS>

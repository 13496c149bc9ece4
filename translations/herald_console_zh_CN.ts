<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>herald::AdminClient</name>
    <message>
        <source>WARNING: the server&apos;s certificate has changed. It now presents SHA-256 %1, which is not the certificate you accepted before. Someone may be intercepting the connection. Nothing was sent.</source>
        <translation>警告：服务器证书已更改。它现在出示的 SHA-256 为 %1，不是您之前接受的证书。可能有人正在拦截连接。未发送任何内容。</translation>
    </message>
    <message>
        <source>The server&apos;s certificate (SHA-256 %1) is not signed by a known authority: %2</source>
        <translation>服务器证书（SHA-256 %1）未由已知的证书颁发机构签名：%2</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>无法连接服务器：%1</translation>
    </message>
    <message>
        <source>The server answered %1 without an explanation.</source>
        <translation>服务器返回了 %1，但没有说明原因。</translation>
    </message>
</context>
<context>
    <name>herald::AuditModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>对象</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
</context>
<context>
    <name>herald::AuditPage</name>
    <message>
        <source>Operator:</source>
        <translation>操作员：</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>操作：</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>任何人</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Cannot read the audit log: %1</source>
        <translation>无法读取审计日志：%1</translation>
    </message>
</context>
<context>
    <name>herald::ClusterModel</name>
    <message>
        <source>just now</source>
        <translation>刚刚</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n 秒前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n 分钟前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n 小时前</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n 天前</numerusform>
        </translation>
    </message>
    <message>
        <source>Node</source>
        <translation>节点</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Monitors</source>
        <translation>监视器</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>上次心跳</translation>
    </message>
    <message>
        <source>Heartbeat at</source>
        <translation>心跳时间</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>启动时间</translation>
    </message>
    <message>
        <source>This console is connected to this node</source>
        <translation>本控制台连接的就是此节点</translation>
    </message>
    <message>
        <source>No heartbeat within the node timeout: its deliveries and monitors are taken over by the live nodes</source>
        <translation>在节点超时时间内没有心跳：其投递和监视器由存活的节点接管</translation>
    </message>
    <message>
        <source>%1 (this node)</source>
        <translation>%1（本节点）</translation>
    </message>
    <message>
        <source>Alive</source>
        <translation>存活</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
</context>
<context>
    <name>herald::ClusterPage</name>
    <message>
        <source>Cannot list the cluster&apos;s nodes: %1</source>
        <translation>无法列出集群的节点：%1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Nodes alive: %1, stopped: %2 — sessions: %3, monitors: %4</source>
        <translation>存活节点：%1，已停止：%2 — 会话：%3，监视器：%4</translation>
    </message>
</context>
<context>
    <name>herald::ConsoleFormat</name>
    <message>
        <source>foreground</source>
        <translation>前台</translation>
    </message>
    <message>
        <source>background</source>
        <translation>后台</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>已送达</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>已打开</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>发送中</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>已发送</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>active</source>
        <translation>有效</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>已停用</translation>
    </message>
    <message>
        <source>watching</source>
        <translation>监视中</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>启动中</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>出错</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <source>in-band</source>
        <translation>会话通道</translation>
    </message>
    <message>
        <source>push</source>
        <translation>推送</translation>
    </message>
    <message>
        <source>in-band, then push</source>
        <translation>先会话通道，后推送</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Helpdesk</source>
        <translation>服务台</translation>
    </message>
    <message>
        <source>waiting for the ack</source>
        <translation>等待确认</translation>
    </message>
    <message>
        <source>with the push provider</source>
        <translation>已交给推送服务</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>重试中</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <source>test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>已断开</translation>
    </message>
    <message>
        <source>seen in the remote app</source>
        <translation>已在远程应用中查看</translation>
    </message>
    <message>
        <source>%1: %2 (whole account)</source>
        <translation>%1：%2（整个账户）</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>%1: reported %2 at %3, holds until %4</source>
        <translation>%1：%3 报告为%2，有效至 %4</translation>
    </message>
    <message>
        <source>(decides deliveries to this device)</source>
        <translation>（决定发往此设备的投递）</translation>
    </message>
    <message>
        <source>(the device&apos;s own state decides)</source>
        <translation>（由设备自身的状态决定）</translation>
    </message>
</context>
<context>
    <name>herald::ConsolePage</name>
    <message>
        <source>Only administrators can do this; you are logged in with the helpdesk role.</source>
        <translation>只有管理员可以执行此操作；您当前以服务台角色登录。</translation>
    </message>
</context>
<context>
    <name>herald::CredentialStore</name>
    <message>
        <source>No keychain service is available</source>
        <translation>没有可用的钥匙串服务</translation>
    </message>
    <message>
        <source>The password was not remembered: %1.</source>
        <translation>未记住密码：%1。</translation>
    </message>
</context>
<context>
    <name>herald::CredentialsDialog</name>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>重复密码：</translation>
    </message>
    <message>
        <source>Helpdesk (read only)</source>
        <translation>服务台（只读）</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>角色：</translation>
    </message>
    <message>
        <source>Names start with a letter or digit and may contain letters, digits and . _ @ + -</source>
        <translation>名称须以字母或数字开头，只能包含字母、数字和 . _ @ + -</translation>
    </message>
    <message numerus="yes">
        <source>The password must have at least %n characters.</source>
        <translation>
            <numerusform>密码至少需要 %n 个字符。</numerusform>
        </translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>herald::DashboardPage</name>
    <message>
        <source>Devices:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Presence:</source>
        <translation>在线状态：</translation>
    </message>
    <message>
        <source>Events:</source>
        <translation>事件：</translation>
    </message>
    <message>
        <source>Deliveries, last hour:</source>
        <translation>投递（最近一小时）：</translation>
    </message>
    <message>
        <source>Outbox:</source>
        <translation>发件队列：</translation>
    </message>
    <message>
        <source>Monitors:</source>
        <translation>监视器：</translation>
    </message>
    <message>
        <source>Per minute, last hour</source>
        <translation>最近一小时，每分钟</translation>
    </message>
    <message>
        <source>Push providers</source>
        <translation>推送服务</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>推送服务</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Cannot read the statistics: %1</source>
        <translation>无法读取统计数据：%1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 in all (%2)</source>
        <translation>共 %1 台（%2）</translation>
    </message>
    <message>
        <source>%1 in the last minute, %2 in the last hour</source>
        <translation>最近一分钟 %1 个，最近一小时 %2 个</translation>
    </message>
    <message>
        <source>%1 in-band, %2 push, %3 failed</source>
        <translation>会话通道 %1，推送 %2，失败 %3</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n 条等待中</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 watching, %2 failing, %3 stopped</source>
        <translation>%1 个监视中，%2 个出错，%3 个已停止</translation>
    </message>
</context>
<context>
    <name>herald::DevicesModel</name>
    <message>
        <source>Presence</source>
        <translation>在线状态</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Push token</source>
        <translation>推送令牌</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>最后在线</translation>
    </message>
    <message>
        <source>The push provider refused this token (%1) on %2. It becomes active again when the user opens the app.</source>
        <translation>推送服务于 %2 拒绝了此令牌（%1）。用户打开应用后令牌会重新生效。</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1：%2</translation>
    </message>
    <message>
        <source>retired (%1)</source>
        <translation>已停用（%1）</translation>
    </message>
    <message>
        <source>Remote session</source>
        <translation>远程会话</translation>
    </message>
    <message>
        <source>Session on node %1</source>
        <translation>会话位于节点 %1</translation>
    </message>
</context>
<context>
    <name>herald::DevicesPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Revoke device…</source>
        <translation>吊销设备…</translation>
    </message>
    <message>
        <source>Cannot list devices: %1</source>
        <translation>无法列出设备：%1</translation>
    </message>
    <message>
        <source>Send test push…</source>
        <translation>发送测试推送…</translation>
    </message>
    <message>
        <source>Send a test notification to this device and see what happens to it</source>
        <translation>向此设备发送一条测试通知，并查看投递结果</translation>
    </message>
    <message>
        <source>The device stops receiving notifications until it registers again</source>
        <translation>设备将不再接收通知，直到重新注册</translation>
    </message>
    <message>
        <source>Any presence</source>
        <translation>任意状态</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>在线</translation>
    </message>
    <message>
        <source>Foreground</source>
        <translation>前台</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>后台</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>任意平台</translation>
    </message>
    <message>
        <source>Revoke device</source>
        <translation>吊销设备</translation>
    </message>
    <message>
        <source>Revoke device %1 of %2? It stops receiving notifications until it registers again.</source>
        <translation>吊销 %2 的设备 %1？在重新注册之前，它将不再收到通知。</translation>
    </message>
    <message>
        <source>Cannot revoke %1: %2</source>
        <translation>无法吊销 %1：%2</translation>
    </message>
    <message>
        <source>Revoked %1.</source>
        <translation>已吊销 %1。</translation>
    </message>
</context>
<context>
    <name>herald::EntityTable</name>
    <message>
        <source>Search the loaded rows…</source>
        <translation>搜索已加载的行…</translation>
    </message>
    <message>
        <source>%1 shown of %2 loaded, %3 in all</source>
        <translation>显示 %1 行，已加载 %2 行，共 %3 行</translation>
    </message>
    <message>
        <source>%1 of %2 loaded (scroll for more)</source>
        <translation>已加载 %1 / %2 行（滚动加载更多）</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n 行</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::EventChart</name>
    <message>
        <source>events</source>
        <translation>事件</translation>
    </message>
    <message>
        <source>in-band</source>
        <translation>会话通道</translation>
    </message>
    <message>
        <source>push</source>
        <translation>推送</translation>
    </message>
    <message>
        <source>failures</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>60 min ago</source>
        <translation>60 分钟前</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
</context>
<context>
    <name>herald::LoginDialog</name>
    <message>
        <source>Remember the password in the system keychain</source>
        <translation>在系统钥匙串中记住密码</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <source>Herald console — log in</source>
        <translation>Herald 控制台 — 登录</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>服务器：</translation>
    </message>
    <message>
        <source>Operator:</source>
        <translation>操作员：</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>密码：</translation>
    </message>
    <message>
        <source>The server address must be an https:// URL, e.g. https://herald.example.com:7443.</source>
        <translation>服务器地址必须是 https:// 网址，例如 https://herald.example.com:7443。</translation>
    </message>
    <message>
        <source>Enter the operator name and password.</source>
        <translation>请输入操作员名称和密码。</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>正在登录…</translation>
    </message>
    <message>
        <source>Too many failed attempts: %1</source>
        <translation>失败次数过多：%1</translation>
    </message>
    <message>
        <source>Unknown server certificate</source>
        <translation>未知的服务器证书</translation>
    </message>
    <message>
        <source>This is the first connection to %1, and its certificate is not signed by an authority this computer knows (it is self-signed: &quot;%2&quot;).

SHA-256 fingerprint:
%3

Compare it with the fingerprint the server printed when it started. If they are the same, trust this server; the console remembers it and warns you if it ever changes.</source>
        <translation>这是第一次连接到 %1，其证书不是由本机已知的证书颁发机构签发的（自签名：&quot;%2&quot;）。

SHA-256 指纹：
%3

请将它与服务器启动时打印的指纹进行比较。如果两者相同，请信任此服务器；控制台会记住它，并在证书发生变化时警告您。</translation>
    </message>
    <message>
        <source>Trust this server</source>
        <translation>信任此服务器</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s certificate was not accepted.</source>
        <translation>未连接：未接受服务器证书。</translation>
    </message>
    <message>
        <source>Server certificate changed</source>
        <translation>服务器证书已更改</translation>
    </message>
    <message>
        <source>If the administrator of %1 replaced its certificate on purpose, forget the remembered one and connect again to check the new fingerprint.</source>
        <translation>如果 %1 的管理员是有意更换证书的，请忘记已记住的证书，然后重新连接以核对新指纹。</translation>
    </message>
    <message>
        <source>Forget the remembered certificate</source>
        <translation>忘记已记住的证书</translation>
    </message>
    <message>
        <source>The remembered certificate was forgotten; log in again to check the new one.</source>
        <translation>已忘记记住的证书；请重新登录以核对新证书。</translation>
    </message>
</context>
<context>
    <name>herald::MainWindow</name>
    <message>
        <source>Herald console — %1</source>
        <translation>Herald 控制台 — %1</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>仪表盘</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>通知</translation>
    </message>
    <message>
        <source>Sources &amp;&amp; monitors</source>
        <translation>来源与监视器</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <source>Only administrators can manage operators; you are logged in with the helpdesk role.</source>
        <translation>只有管理员可以管理操作员；您当前以服务台角色登录。</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>helpdesk</source>
        <translation>服务台</translation>
    </message>
    <message>
        <source>Logged in as %1 (%2)</source>
        <translation>已登录：%1（%2）</translation>
    </message>
    <message>
        <source>&amp;Console</source>
        <translation>控制台(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <source>Send &amp;test push…</source>
        <translation>发送测试推送(&amp;T)…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>Push provider %1 reports a problem: %2</source>
        <translation>推送服务 %1 报告问题：%2</translation>
    </message>
    <message>
        <source>Live updates on</source>
        <translation>实时更新已开启</translation>
    </message>
    <message>
        <source>Connecting live updates…</source>
        <translation>正在连接实时更新…</translation>
    </message>
    <message numerus="yes">
        <source>Live updates lost; retrying in %n s</source>
        <translation>
            <numerusform>实时更新已断开；%n 秒后重试</numerusform>
        </translation>
    </message>
    <message>
        <source>Live updates off</source>
        <translation>实时更新已关闭</translation>
    </message>
    <message>
        <source>The session ended (%1). Restart the console to log in again.</source>
        <translation>会话已结束（%1）。请重新启动控制台并登录。</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>集群</translation>
    </message>
    <message>
        <source>Push provider %1 on node %2 reports a problem: %3</source>
        <translation>节点 %2 上的推送服务 %1 报告问题：%3</translation>
    </message>
    <message>
        <source>Connected to node %1; updates come from every node of the cluster</source>
        <translation>已连接到节点 %1；实时更新来自集群的所有节点</translation>
    </message>
</context>
<context>
    <name>herald::MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>关闭</translation>
    </message>
</context>
<context>
    <name>herald::MonitorsModel</name>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>监视器</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>起始时间</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>herald::NotificationDetail</name>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>平台</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>通道</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>尝试次数</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>下次尝试</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>最近错误</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>推送服务</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <source>Attempt history</source>
        <translation>尝试记录</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>立即重试</translation>
    </message>
    <message>
        <source>Cancel delivery</source>
        <translation>取消投递</translation>
    </message>
    <message>
        <source>Only administrators can do this; you are logged in with the helpdesk role.</source>
        <translation>只有管理员可以执行此操作；您当前以服务台角色登录。</translation>
    </message>
    <message>
        <source>Send a failed delivery again now</source>
        <translation>立即重新发送失败的投递</translation>
    </message>
    <message>
        <source>Stop trying to deliver to this device</source>
        <translation>停止向此设备投递</translation>
    </message>
    <message>
        <source>Select a notification to see its deliveries and attempts.</source>
        <translation>选择一条通知以查看其投递和尝试记录。</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <source>Cannot load %1.</source>
        <translation>无法加载 %1。</translation>
    </message>
    <message>
        <source>Cannot load notification %1: %2</source>
        <translation>无法加载通知 %1：%2</translation>
    </message>
    <message>
        <source>(sender and subject hidden by the app&apos;s privacy level: %1)</source>
        <translation>（发件人和主题因应用的隐私级别而隐藏：%1）</translation>
    </message>
    <message>
        <source>Notification %1 for %2 (%3), %4: %5</source>
        <translation>通知 %1，用户 %2（%3），%4：%5</translation>
    </message>
    <message>
        <source>Cannot retry delivery %1: %2</source>
        <translation>无法重试投递 %1：%2</translation>
    </message>
    <message>
        <source>Cannot cancel delivery %1: %2</source>
        <translation>无法取消投递 %1：%2</translation>
    </message>
    <message>
        <source>Delivery %1 is being sent again.</source>
        <translation>正在重新发送投递 %1。</translation>
    </message>
    <message>
        <source>Delivery %1 was cancelled.</source>
        <translation>投递 %1 已取消。</translation>
    </message>
</context>
<context>
    <name>herald::NotificationsModel</name>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>账户</translation>
    </message>
    <message>
        <source>App</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>投递</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>内容</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>(hidden by the app&apos;s privacy level)</source>
        <translation>（因应用的隐私级别而隐藏）</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>A test push sent from the console</source>
        <translation>从控制台发送的测试推送</translation>
    </message>
</context>
<context>
    <name>herald::NotificationsPage</name>
    <message>
        <source>Cannot list notifications: %1</source>
        <translation>无法列出通知：%1</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>待处理</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>All (newest first)</source>
        <translation>全部（最新在前）</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>herald::OperatorsModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>herald::OperatorsPage</name>
    <message>
        <source>Disabled operator %1.</source>
        <translation>已禁用操作员 %1。</translation>
    </message>
    <message>
        <source>Enabled operator %1.</source>
        <translation>已启用操作员 %1。</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>New operator…</source>
        <translation>新建操作员…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>禁用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>更改角色…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Create a console operator</source>
        <translation>创建控制台操作员</translation>
    </message>
    <message>
        <source>The operator&apos;s sessions end at once</source>
        <translation>该操作员的会话会立即结束</translation>
    </message>
    <message>
        <source>Allow the operator to log in again</source>
        <translation>允许该操作员重新登录</translation>
    </message>
    <message>
        <source>Administrator or helpdesk</source>
        <translation>管理员或服务台</translation>
    </message>
    <message>
        <source>Set a new password for the operator</source>
        <translation>为该操作员设置新密码</translation>
    </message>
    <message>
        <source>Reload the list</source>
        <translation>重新加载列表</translation>
    </message>
    <message>
        <source>%1 is the last enabled administrator; make another operator an administrator first.</source>
        <translation>%1 是最后一个已启用的管理员；请先将另一名操作员设为管理员。</translation>
    </message>
    <message>
        <source>Cannot change operator %1: %2</source>
        <translation>无法更改操作员 %1：%2</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>更改角色</translation>
    </message>
    <message>
        <source>Role of %1:</source>
        <translation>%1 的角色：</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 现在是%2。</translation>
    </message>
    <message>
        <source>New password for %1</source>
        <translation>%1 的新密码</translation>
    </message>
    <message>
        <source>Set a new password for operator %1.</source>
        <translation>已为操作员 %1 设置新密码。</translation>
    </message>
    <message>
        <source>Cannot list operators: %1</source>
        <translation>无法列出操作员：%1</translation>
    </message>
    <message>
        <source>New operator</source>
        <translation>新建操作员</translation>
    </message>
    <message>
        <source>Created operator %1.</source>
        <translation>已创建操作员 %1。</translation>
    </message>
</context>
<context>
    <name>herald::SourcesModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>已吊销</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>herald::SourcesPage</name>
    <message>
        <source>Cannot list event sources: %1</source>
        <translation>无法列出事件来源：%1</translation>
    </message>
    <message>
        <source>Cannot list monitors: %1</source>
        <translation>无法列出监视器：%1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Add source…</source>
        <translation>添加来源…</translation>
    </message>
    <message>
        <source>Revoke source…</source>
        <translation>吊销来源…</translation>
    </message>
    <message>
        <source>Create an event source; its token is shown once</source>
        <translation>创建事件来源；其令牌只显示一次</translation>
    </message>
    <message>
        <source>The source&apos;s token is refused from now on</source>
        <translation>从现在起拒绝该来源的令牌</translation>
    </message>
    <message>
        <source>Add event source</source>
        <translation>添加事件来源</translation>
    </message>
    <message>
        <source>Name of the source (for example crm or chat):</source>
        <translation>来源名称（例如 crm 或 chat）：</translation>
    </message>
    <message>
        <source>Cannot add source %1: %2</source>
        <translation>无法添加来源 %1：%2</translation>
    </message>
    <message>
        <source>Source %1 added</source>
        <translation>已添加来源 %1</translation>
    </message>
    <message>
        <source>The source&apos;s token is shown only now. Copy it into the source&apos;s configuration:

%1</source>
        <translation>该来源的令牌只在此时显示。请将其复制到来源的配置中：

%1</translation>
    </message>
    <message>
        <source>Added source %1.</source>
        <translation>已添加来源 %1。</translation>
    </message>
    <message>
        <source>Revoke source</source>
        <translation>吊销来源</translation>
    </message>
    <message>
        <source>Revoke source %1? Its token is refused at once.</source>
        <translation>吊销来源 %1？其令牌将立即被拒绝。</translation>
    </message>
    <message>
        <source>Cannot revoke source %1: %2</source>
        <translation>无法吊销来源 %1：%2</translation>
    </message>
    <message>
        <source>Revoked source %1.</source>
        <translation>已吊销来源 %1。</translation>
    </message>
</context>
<context>
    <name>herald::TestPushDialog</name>
    <message>
        <source>Send test push</source>
        <translation>发送测试推送</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>用户：</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>设备：</translation>
    </message>
    <message>
        <source>Text (optional):</source>
        <translation>文本（可选）：</translation>
    </message>
    <message>
        <source>This is a test notification from your IT helpdesk.</source>
        <translation>这是来自 IT 服务台的测试通知。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>发送</translation>
    </message>
    <message>
        <source>Herald decides like for a real notification: in-band when the app is in the foreground on that device, otherwise through the device&apos;s push provider.</source>
        <translation>Herald 会像处理真实通知一样做出决定：应用在该设备前台时通过会话通道发送，否则通过设备的推送服务发送。</translation>
    </message>
    <message>
        <source>Cannot list users: %1</source>
        <translation>无法列出用户：%1</translation>
    </message>
    <message>
        <source>Cannot list the devices of %1: %2</source>
        <translation>无法列出 %1 的设备：%2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1（%2）</translation>
    </message>
    <message>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2（%3）</translation>
    </message>
    <message>
        <source>Sending to %1 and waiting for the outcome…</source>
        <translation>正在发送到 %1 并等待结果…</translation>
    </message>
    <message>
        <source>No verdict within the server&apos;s time limit; the push may still arrive.</source>
        <translation>在服务器的时限内没有得到结果；推送仍可能到达。</translation>
    </message>
    <message>
        <source>The test push was not sent: %1</source>
        <translation>测试推送未发送：%1</translation>
    </message>
</context>
<context>
    <name>herald::TestPushVerdict</name>
    <message>
        <source>Delivered in-band and acknowledged in %1 ms.</source>
        <translation>已通过会话通道送达，并在 %1 毫秒内得到确认。</translation>
    </message>
    <message>
        <source>The app was in the foreground but did not acknowledge within %1 ms, so it was sent as a push: %2</source>
        <translation>应用在前台，但未在 %1 毫秒内确认，因此改为推送发送：%2</translation>
    </message>
    <message>
        <source>The app was in the foreground but did not acknowledge within %1 ms.</source>
        <translation>应用在前台，但未在 %1 毫秒内确认。</translation>
    </message>
    <message>
        <source>%1 accepted it (in %2 ms). The phone shows it when it is online.</source>
        <translation>%1 已接受（用时 %2 毫秒）。手机联网时会显示该通知。</translation>
    </message>
    <message>
        <source>The phone&apos;s push token is no longer valid: %1 — ask the user to open the app, which registers a new one.</source>
        <translation>手机的推送令牌已失效：%1 — 请让用户打开应用，应用会注册新的令牌。</translation>
    </message>
    <message>
        <source>%1 could not be reached: %2</source>
        <translation>无法连接 %1：%2</translation>
    </message>
    <message>
        <source>%1 refused it: %2 (status %3).</source>
        <translation>%1 拒绝了推送：%2（状态 %3）。</translation>
    </message>
    <message>
        <source>No push provider is configured for this device&apos;s platform, and the app is not in the foreground.</source>
        <translation>没有为此设备的平台配置推送服务，而且应用不在前台。</translation>
    </message>
    <message>
        <source>Not delivered (%1).</source>
        <translation>未送达（%1）。</translation>
    </message>
    <message>
        <source>Not delivered: %1</source>
        <translation>未送达：%1</translation>
    </message>
    <message>
        <source>Not delivered; the server gave no reason.</source>
        <translation>未送达；服务器没有给出原因。</translation>
    </message>
    <message>
        <source>%1 refused Herald&apos;s credentials or app settings (%2, status %3): the server&apos;s administrator must check the provider&apos;s key, team and topic.</source>
        <translation>%1 拒绝了 Herald 的凭据或应用设置（%2，状态 %3）：需要服务器管理员检查推送服务的密钥、团队和主题。</translation>
    </message>
    <message>
        <source>%1 is busy or having trouble (status %2); nothing is wrong with the phone. Try again in a few minutes.</source>
        <translation>%1 繁忙或出现故障（状态 %2）；手机本身没有问题。请过几分钟再试。</translation>
    </message>
    <message>
        <source>The device registered without a push token, and the app is not in the foreground: it can only be reached while the app is open.</source>
        <translation>该设备注册时没有推送令牌，而且应用不在前台：只有在应用打开时才能送达。</translation>
    </message>
</context>
<context>
    <name>herald::UsersModel</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>Remote session</source>
        <translation>远程会话</translation>
    </message>
</context>
<context>
    <name>herald::UsersPage</name>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>新建用户…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>禁用</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>启用</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>重置密码…</translation>
    </message>
    <message>
        <source>Cannot list users: %1</source>
        <translation>无法列出用户：%1</translation>
    </message>
    <message>
        <source>Create a terminal account</source>
        <translation>创建终端账户</translation>
    </message>
    <message>
        <source>The user can no longer log in; registered devices stop receiving notifications</source>
        <translation>该用户将无法登录；已注册的设备不再接收通知</translation>
    </message>
    <message>
        <source>Allow the user to log in again</source>
        <translation>允许该用户重新登录</translation>
    </message>
    <message>
        <source>Set a new password for the user</source>
        <translation>为该用户设置新密码</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>新建用户</translation>
    </message>
    <message>
        <source>Created user %1.</source>
        <translation>已创建用户 %1。</translation>
    </message>
    <message>
        <source>Cannot change %1: %2</source>
        <translation>无法更改 %1：%2</translation>
    </message>
    <message>
        <source>Disabled %1.</source>
        <translation>已停用 %1。</translation>
    </message>
    <message>
        <source>Enabled %1.</source>
        <translation>已启用 %1。</translation>
    </message>
    <message>
        <source>New password for %1</source>
        <translation>%1 的新密码</translation>
    </message>
    <message>
        <source>Set a new password for %1.</source>
        <translation>已为 %1 设置新密码。</translation>
    </message>
</context>
</TS>

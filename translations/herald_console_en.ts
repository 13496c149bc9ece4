<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>herald::AdminClient</name>
    <message>
        <source>WARNING: the server&apos;s certificate has changed. It now presents SHA-256 %1, which is not the certificate you accepted before. Someone may be intercepting the connection. Nothing was sent.</source>
        <translation>WARNING: the server&apos;s certificate has changed. It now presents SHA-256 %1, which is not the certificate you accepted before. Someone may be intercepting the connection. Nothing was sent.</translation>
    </message>
    <message>
        <source>The server&apos;s certificate (SHA-256 %1) is not signed by a known authority: %2</source>
        <translation>The server&apos;s certificate (SHA-256 %1) is not signed by a known authority: %2</translation>
    </message>
    <message>
        <source>Cannot reach the server: %1</source>
        <translation>Cannot reach the server: %1</translation>
    </message>
    <message>
        <source>The server answered %1 without an explanation.</source>
        <translation>The server answered %1 without an explanation.</translation>
    </message>
</context>
<context>
    <name>herald::AuditModel</name>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Operator</source>
        <translation>Operator</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>Action</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Target</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
</context>
<context>
    <name>herald::AuditPage</name>
    <message>
        <source>Operator:</source>
        <translation>Operator:</translation>
    </message>
    <message>
        <source>Action:</source>
        <translation>Action:</translation>
    </message>
    <message>
        <source>anyone</source>
        <translation>anyone</translation>
    </message>
    <message>
        <source>From</source>
        <translation>From</translation>
    </message>
    <message>
        <source>To</source>
        <translation>To</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>Apply</translation>
    </message>
    <message>
        <source>Cannot read the audit log: %1</source>
        <translation>Cannot read the audit log: %1</translation>
    </message>
</context>
<context>
    <name>herald::ClusterModel</name>
    <message>
        <source>just now</source>
        <translation>just now</translation>
    </message>
    <message numerus="yes">
        <source>%n s ago</source>
        <translation>
            <numerusform>%n s ago</numerusform>
            <numerusform>%n s ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n min ago</source>
        <translation>
            <numerusform>%n min ago</numerusform>
            <numerusform>%n min ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n h ago</source>
        <translation>
            <numerusform>%n h ago</numerusform>
            <numerusform>%n h ago</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n d ago</source>
        <translation>
            <numerusform>%n d ago</numerusform>
            <numerusform>%n d ago</numerusform>
        </translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Node</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Address</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>Sessions</translation>
    </message>
    <message>
        <source>Monitors</source>
        <translation>Monitors</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Last heartbeat</translation>
    </message>
    <message>
        <source>Heartbeat at</source>
        <translation>Heartbeat at</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>Started</translation>
    </message>
    <message>
        <source>This console is connected to this node</source>
        <translation>This console is connected to this node</translation>
    </message>
    <message>
        <source>No heartbeat within the node timeout: its deliveries and monitors are taken over by the live nodes</source>
        <translation>No heartbeat within the node timeout: its deliveries and monitors are taken over by the live nodes</translation>
    </message>
    <message>
        <source>%1 (this node)</source>
        <translation>%1 (this node)</translation>
    </message>
    <message>
        <source>Alive</source>
        <translation>Alive</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Stopped</translation>
    </message>
</context>
<context>
    <name>herald::ClusterPage</name>
    <message>
        <source>Cannot list the cluster&apos;s nodes: %1</source>
        <translation>Cannot list the cluster&apos;s nodes: %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Nodes alive: %1, stopped: %2 — sessions: %3, monitors: %4</source>
        <translation>Nodes alive: %1, stopped: %2 — sessions: %3, monitors: %4</translation>
    </message>
</context>
<context>
    <name>herald::ConsoleFormat</name>
    <message>
        <source>foreground</source>
        <translation>foreground</translation>
    </message>
    <message>
        <source>background</source>
        <translation>background</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>closed</translation>
    </message>
    <message>
        <source>online</source>
        <translation>online</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>offline</translation>
    </message>
    <message>
        <source>pending</source>
        <translation>pending</translation>
    </message>
    <message>
        <source>delivered</source>
        <translation>delivered</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>failed</translation>
    </message>
    <message>
        <source>opened</source>
        <translation>opened</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <source>sending</source>
        <translation>sending</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>sent</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>expired</translation>
    </message>
    <message>
        <source>active</source>
        <translation>active</translation>
    </message>
    <message>
        <source>retired</source>
        <translation>retired</translation>
    </message>
    <message>
        <source>watching</source>
        <translation>watching</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>starting</translation>
    </message>
    <message>
        <source>failing</source>
        <translation>failing</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>stopped</translation>
    </message>
    <message>
        <source>ok</source>
        <translation>ok</translation>
    </message>
    <message>
        <source>alarm</source>
        <translation>alarm</translation>
    </message>
    <message>
        <source>in-band</source>
        <translation>in-band</translation>
    </message>
    <message>
        <source>push</source>
        <translation>push</translation>
    </message>
    <message>
        <source>in-band, then push</source>
        <translation>in-band, then push</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Helpdesk</source>
        <translation>Helpdesk</translation>
    </message>
    <message>
        <source>waiting for the ack</source>
        <translation>waiting for the ack</translation>
    </message>
    <message>
        <source>with the push provider</source>
        <translation>with the push provider</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>retrying</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>suppressed</translation>
    </message>
    <message>
        <source>test</source>
        <translation>test</translation>
    </message>
    <message>
        <source>disconnected</source>
        <translation>disconnected</translation>
    </message>
    <message>
        <source>seen in the remote app</source>
        <translation>seen in the remote app</translation>
    </message>
    <message>
        <source>%1: %2 (whole account)</source>
        <translation>%1: %2 (whole account)</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: reported %2 at %3, holds until %4</source>
        <translation>%1: reported %2 at %3, holds until %4</translation>
    </message>
    <message>
        <source>(decides deliveries to this device)</source>
        <translation>(decides deliveries to this device)</translation>
    </message>
    <message>
        <source>(the device&apos;s own state decides)</source>
        <translation>(the device&apos;s own state decides)</translation>
    </message>
</context>
<context>
    <name>herald::ConsolePage</name>
    <message>
        <source>Only administrators can do this; you are logged in with the helpdesk role.</source>
        <translation>Only administrators can do this; you are logged in with the helpdesk role.</translation>
    </message>
</context>
<context>
    <name>herald::CredentialStore</name>
    <message>
        <source>No keychain service is available</source>
        <translation>No keychain service is available</translation>
    </message>
    <message>
        <source>The password was not remembered: %1.</source>
        <translation>The password was not remembered: %1.</translation>
    </message>
</context>
<context>
    <name>herald::CredentialsDialog</name>
    <message>
        <source>Name:</source>
        <translation>Name:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>Repeat password:</source>
        <translation>Repeat password:</translation>
    </message>
    <message>
        <source>Helpdesk (read only)</source>
        <translation>Helpdesk (read only)</translation>
    </message>
    <message>
        <source>Administrator</source>
        <translation>Administrator</translation>
    </message>
    <message>
        <source>Role:</source>
        <translation>Role:</translation>
    </message>
    <message>
        <source>Names start with a letter or digit and may contain letters, digits and . _ @ + -</source>
        <translation>Names start with a letter or digit and may contain letters, digits and . _ @ + -</translation>
    </message>
    <message numerus="yes">
        <source>The password must have at least %n characters.</source>
        <translation>
            <numerusform>The password must have at least %n characters.</numerusform>
            <numerusform>The password must have at least %n characters.</numerusform>
        </translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>The two passwords differ.</translation>
    </message>
</context>
<context>
    <name>herald::DashboardPage</name>
    <message>
        <source>Devices:</source>
        <translation>Devices:</translation>
    </message>
    <message>
        <source>Presence:</source>
        <translation>Presence:</translation>
    </message>
    <message>
        <source>Events:</source>
        <translation>Events:</translation>
    </message>
    <message>
        <source>Deliveries, last hour:</source>
        <translation>Deliveries, last hour:</translation>
    </message>
    <message>
        <source>Outbox:</source>
        <translation>Outbox:</translation>
    </message>
    <message>
        <source>Monitors:</source>
        <translation>Monitors:</translation>
    </message>
    <message>
        <source>Per minute, last hour</source>
        <translation>Per minute, last hour</translation>
    </message>
    <message>
        <source>Push providers</source>
        <translation>Push providers</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>Platforms</source>
        <translation>Platforms</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
    <message>
        <source>Cannot read the statistics: %1</source>
        <translation>Cannot read the statistics: %1</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>%1 in all (%2)</source>
        <translation>%1 in all (%2)</translation>
    </message>
    <message>
        <source>%1 in the last minute, %2 in the last hour</source>
        <translation>%1 in the last minute, %2 in the last hour</translation>
    </message>
    <message>
        <source>%1 in-band, %2 push, %3 failed</source>
        <translation>%1 in-band, %2 push, %3 failed</translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 watching, %2 failing, %3 stopped</source>
        <translation>%1 watching, %2 failing, %3 stopped</translation>
    </message>
</context>
<context>
    <name>herald::DevicesModel</name>
    <message>
        <source>Presence</source>
        <translation>Presence</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Apps</source>
        <translation>Apps</translation>
    </message>
    <message>
        <source>Push token</source>
        <translation>Push token</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Last seen</translation>
    </message>
    <message>
        <source>The push provider refused this token (%1) on %2. It becomes active again when the user opens the app.</source>
        <translation>The push provider refused this token (%1) on %2. It becomes active again when the user opens the app.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>retired (%1)</source>
        <translation>retired (%1)</translation>
    </message>
    <message>
        <source>Remote session</source>
        <translation>Remote session</translation>
    </message>
    <message>
        <source>Session on node %1</source>
        <translation>Session on node %1</translation>
    </message>
</context>
<context>
    <name>herald::DevicesPage</name>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Revoke device…</source>
        <translation>Revoke device…</translation>
    </message>
    <message>
        <source>Cannot list devices: %1</source>
        <translation>Cannot list devices: %1</translation>
    </message>
    <message>
        <source>Send test push…</source>
        <translation>Send test push…</translation>
    </message>
    <message>
        <source>Send a test notification to this device and see what happens to it</source>
        <translation>Send a test notification to this device and see what happens to it</translation>
    </message>
    <message>
        <source>The device stops receiving notifications until it registers again</source>
        <translation>The device stops receiving notifications until it registers again</translation>
    </message>
    <message>
        <source>Any presence</source>
        <translation>Any presence</translation>
    </message>
    <message>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <source>Foreground</source>
        <translation>Foreground</translation>
    </message>
    <message>
        <source>Background</source>
        <translation>Background</translation>
    </message>
    <message>
        <source>Closed</source>
        <translation>Closed</translation>
    </message>
    <message>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <source>Any platform</source>
        <translation>Any platform</translation>
    </message>
    <message>
        <source>Revoke device</source>
        <translation>Revoke device</translation>
    </message>
    <message>
        <source>Revoke device %1 of %2? It stops receiving notifications until it registers again.</source>
        <translation>Revoke device %1 of %2? It stops receiving notifications until it registers again.</translation>
    </message>
    <message>
        <source>Cannot revoke %1: %2</source>
        <translation>Cannot revoke %1: %2</translation>
    </message>
    <message>
        <source>Revoked %1.</source>
        <translation>Revoked %1.</translation>
    </message>
</context>
<context>
    <name>herald::EntityTable</name>
    <message>
        <source>Search the loaded rows…</source>
        <translation>Search the loaded rows…</translation>
    </message>
    <message>
        <source>%1 shown of %2 loaded, %3 in all</source>
        <translation>%1 shown of %2 loaded, %3 in all</translation>
    </message>
    <message>
        <source>%1 of %2 loaded (scroll for more)</source>
        <translation>%1 of %2 loaded (scroll for more)</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s)</source>
        <translation>
            <numerusform>%n row</numerusform>
            <numerusform>%n rows</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>herald::EventChart</name>
    <message>
        <source>events</source>
        <translation>events</translation>
    </message>
    <message>
        <source>in-band</source>
        <translation>in-band</translation>
    </message>
    <message>
        <source>push</source>
        <translation>push</translation>
    </message>
    <message>
        <source>failures</source>
        <translation>failures</translation>
    </message>
    <message>
        <source>60 min ago</source>
        <translation>60 min ago</translation>
    </message>
    <message>
        <source>now</source>
        <translation>now</translation>
    </message>
</context>
<context>
    <name>herald::LoginDialog</name>
    <message>
        <source>Remember the password in the system keychain</source>
        <translation>Remember the password in the system keychain</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Log in</translation>
    </message>
    <message>
        <source>Herald console — log in</source>
        <translation>Herald console — log in</translation>
    </message>
    <message>
        <source>Server:</source>
        <translation>Server:</translation>
    </message>
    <message>
        <source>Operator:</source>
        <translation>Operator:</translation>
    </message>
    <message>
        <source>Password:</source>
        <translation>Password:</translation>
    </message>
    <message>
        <source>The server address must be an https:// URL, e.g. https://herald.example.com:7443.</source>
        <translation>The server address must be an https:// URL, e.g. https://herald.example.com:7443.</translation>
    </message>
    <message>
        <source>Enter the operator name and password.</source>
        <translation>Enter the operator name and password.</translation>
    </message>
    <message>
        <source>Logging in…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <source>Too many failed attempts: %1</source>
        <translation>Too many failed attempts: %1</translation>
    </message>
    <message>
        <source>Unknown server certificate</source>
        <translation>Unknown server certificate</translation>
    </message>
    <message>
        <source>This is the first connection to %1, and its certificate is not signed by an authority this computer knows (it is self-signed: &quot;%2&quot;).

SHA-256 fingerprint:
%3

Compare it with the fingerprint the server printed when it started. If they are the same, trust this server; the console remembers it and warns you if it ever changes.</source>
        <translation>This is the first connection to %1, and its certificate is not signed by an authority this computer knows (it is self-signed: &quot;%2&quot;).

SHA-256 fingerprint:
%3

Compare it with the fingerprint the server printed when it started. If they are the same, trust this server; the console remembers it and warns you if it ever changes.</translation>
    </message>
    <message>
        <source>Trust this server</source>
        <translation>Trust this server</translation>
    </message>
    <message>
        <source>Not connected: the server&apos;s certificate was not accepted.</source>
        <translation>Not connected: the server&apos;s certificate was not accepted.</translation>
    </message>
    <message>
        <source>Server certificate changed</source>
        <translation>Server certificate changed</translation>
    </message>
    <message>
        <source>If the administrator of %1 replaced its certificate on purpose, forget the remembered one and connect again to check the new fingerprint.</source>
        <translation>If the administrator of %1 replaced its certificate on purpose, forget the remembered one and connect again to check the new fingerprint.</translation>
    </message>
    <message>
        <source>Forget the remembered certificate</source>
        <translation>Forget the remembered certificate</translation>
    </message>
    <message>
        <source>The remembered certificate was forgotten; log in again to check the new one.</source>
        <translation>The remembered certificate was forgotten; log in again to check the new one.</translation>
    </message>
</context>
<context>
    <name>herald::MainWindow</name>
    <message>
        <source>Herald console — %1</source>
        <translation>Herald console — %1</translation>
    </message>
    <message>
        <source>Dashboard</source>
        <translation>Dashboard</translation>
    </message>
    <message>
        <source>Users</source>
        <translation>Users</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Notifications</source>
        <translation>Notifications</translation>
    </message>
    <message>
        <source>Sources &amp;&amp; monitors</source>
        <translation>Sources &amp;&amp; monitors</translation>
    </message>
    <message>
        <source>Operators</source>
        <translation>Operators</translation>
    </message>
    <message>
        <source>Audit log</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <source>Only administrators can manage operators; you are logged in with the helpdesk role.</source>
        <translation>Only administrators can manage operators; you are logged in with the helpdesk role.</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>administrator</translation>
    </message>
    <message>
        <source>helpdesk</source>
        <translation>helpdesk</translation>
    </message>
    <message>
        <source>Logged in as %1 (%2)</source>
        <translation>Logged in as %1 (%2)</translation>
    </message>
    <message>
        <source>&amp;Console</source>
        <translation>&amp;Console</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <source>Send &amp;test push…</source>
        <translation>Send &amp;test push…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Quit</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>&amp;Language</translation>
    </message>
    <message>
        <source>Push provider %1 reports a problem: %2</source>
        <translation>Push provider %1 reports a problem: %2</translation>
    </message>
    <message>
        <source>Live updates on</source>
        <translation>Live updates on</translation>
    </message>
    <message>
        <source>Connecting live updates…</source>
        <translation>Connecting live updates…</translation>
    </message>
    <message numerus="yes">
        <source>Live updates lost; retrying in %n s</source>
        <translation>
            <numerusform>Live updates lost; retrying in %n s</numerusform>
            <numerusform>Live updates lost; retrying in %n s</numerusform>
        </translation>
    </message>
    <message>
        <source>Live updates off</source>
        <translation>Live updates off</translation>
    </message>
    <message>
        <source>The session ended (%1). Restart the console to log in again.</source>
        <translation>The session ended (%1). Restart the console to log in again.</translation>
    </message>
    <message>
        <source>Cluster</source>
        <translation>Cluster</translation>
    </message>
    <message>
        <source>Push provider %1 on node %2 reports a problem: %3</source>
        <translation>Push provider %1 on node %2 reports a problem: %3</translation>
    </message>
    <message>
        <source>Connected to node %1; updates come from every node of the cluster</source>
        <translation>Connected to node %1; updates come from every node of the cluster</translation>
    </message>
</context>
<context>
    <name>herald::MessageBar</name>
    <message>
        <source>Dismiss</source>
        <translation>Dismiss</translation>
    </message>
</context>
<context>
    <name>herald::MonitorsModel</name>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>App</source>
        <translation>App</translation>
    </message>
    <message>
        <source>Monitor</source>
        <translation>Monitor</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>Since</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Reason</translation>
    </message>
</context>
<context>
    <name>herald::NotificationDetail</name>
    <message>
        <source>Device</source>
        <translation>Device</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Platform</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Channel</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Attempts</source>
        <translation>Attempts</translation>
    </message>
    <message>
        <source>Next attempt</source>
        <translation>Next attempt</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Last error</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Time</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>Provider</translation>
    </message>
    <message>
        <source>Outcome</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <source>Detail</source>
        <translation>Detail</translation>
    </message>
    <message>
        <source>Attempt history</source>
        <translation>Attempt history</translation>
    </message>
    <message>
        <source>Retry now</source>
        <translation>Retry now</translation>
    </message>
    <message>
        <source>Cancel delivery</source>
        <translation>Cancel delivery</translation>
    </message>
    <message>
        <source>Only administrators can do this; you are logged in with the helpdesk role.</source>
        <translation>Only administrators can do this; you are logged in with the helpdesk role.</translation>
    </message>
    <message>
        <source>Send a failed delivery again now</source>
        <translation>Send a failed delivery again now</translation>
    </message>
    <message>
        <source>Stop trying to deliver to this device</source>
        <translation>Stop trying to deliver to this device</translation>
    </message>
    <message>
        <source>Select a notification to see its deliveries and attempts.</source>
        <translation>Select a notification to see its deliveries and attempts.</translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Loading %1…</translation>
    </message>
    <message>
        <source>Cannot load %1.</source>
        <translation>Cannot load %1.</translation>
    </message>
    <message>
        <source>Cannot load notification %1: %2</source>
        <translation>Cannot load notification %1: %2</translation>
    </message>
    <message>
        <source>(sender and subject hidden by the app&apos;s privacy level: %1)</source>
        <translation>(sender and subject hidden by the app&apos;s privacy level: %1)</translation>
    </message>
    <message>
        <source>Notification %1 for %2 (%3), %4: %5</source>
        <translation>Notification %1 for %2 (%3), %4: %5</translation>
    </message>
    <message>
        <source>Cannot retry delivery %1: %2</source>
        <translation>Cannot retry delivery %1: %2</translation>
    </message>
    <message>
        <source>Cannot cancel delivery %1: %2</source>
        <translation>Cannot cancel delivery %1: %2</translation>
    </message>
    <message>
        <source>Delivery %1 is being sent again.</source>
        <translation>Delivery %1 is being sent again.</translation>
    </message>
    <message>
        <source>Delivery %1 was cancelled.</source>
        <translation>Delivery %1 was cancelled.</translation>
    </message>
</context>
<context>
    <name>herald::NotificationsModel</name>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Account</source>
        <translation>Account</translation>
    </message>
    <message>
        <source>App</source>
        <translation>App</translation>
    </message>
    <message>
        <source>State</source>
        <translation>State</translation>
    </message>
    <message>
        <source>Deliveries</source>
        <translation>Deliveries</translation>
    </message>
    <message>
        <source>Content</source>
        <translation>Content</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>(hidden by the app&apos;s privacy level)</source>
        <translation>(hidden by the app&apos;s privacy level)</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>A test push sent from the console</source>
        <translation>A test push sent from the console</translation>
    </message>
</context>
<context>
    <name>herald::NotificationsPage</name>
    <message>
        <source>Cannot list notifications: %1</source>
        <translation>Cannot list notifications: %1</translation>
    </message>
    <message>
        <source>Pending</source>
        <translation>Pending</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Failed</translation>
    </message>
    <message>
        <source>All (newest first)</source>
        <translation>All (newest first)</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
</context>
<context>
    <name>herald::OperatorsModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
</context>
<context>
    <name>herald::OperatorsPage</name>
    <message>
        <source>Disabled operator %1.</source>
        <translation>Disabled operator %1.</translation>
    </message>
    <message>
        <source>Enabled operator %1.</source>
        <translation>Enabled operator %1.</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>New operator…</source>
        <translation>New operator…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>Change role…</source>
        <translation>Change role…</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <source>Create a console operator</source>
        <translation>Create a console operator</translation>
    </message>
    <message>
        <source>The operator&apos;s sessions end at once</source>
        <translation>The operator&apos;s sessions end at once</translation>
    </message>
    <message>
        <source>Allow the operator to log in again</source>
        <translation>Allow the operator to log in again</translation>
    </message>
    <message>
        <source>Administrator or helpdesk</source>
        <translation>Administrator or helpdesk</translation>
    </message>
    <message>
        <source>Set a new password for the operator</source>
        <translation>Set a new password for the operator</translation>
    </message>
    <message>
        <source>Reload the list</source>
        <translation>Reload the list</translation>
    </message>
    <message>
        <source>%1 is the last enabled administrator; make another operator an administrator first.</source>
        <translation>%1 is the last enabled administrator; make another operator an administrator first.</translation>
    </message>
    <message>
        <source>Cannot change operator %1: %2</source>
        <translation>Cannot change operator %1: %2</translation>
    </message>
    <message>
        <source>Change role</source>
        <translation>Change role</translation>
    </message>
    <message>
        <source>Role of %1:</source>
        <translation>Role of %1:</translation>
    </message>
    <message>
        <source>%1 is now %2.</source>
        <translation>%1 is now %2.</translation>
    </message>
    <message>
        <source>New password for %1</source>
        <translation>New password for %1</translation>
    </message>
    <message>
        <source>Set a new password for operator %1.</source>
        <translation>Set a new password for operator %1.</translation>
    </message>
    <message>
        <source>Cannot list operators: %1</source>
        <translation>Cannot list operators: %1</translation>
    </message>
    <message>
        <source>New operator</source>
        <translation>New operator</translation>
    </message>
    <message>
        <source>Created operator %1.</source>
        <translation>Created operator %1.</translation>
    </message>
</context>
<context>
    <name>herald::SourcesModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Kind</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Revoked</source>
        <translation>Revoked</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
</context>
<context>
    <name>herald::SourcesPage</name>
    <message>
        <source>Cannot list event sources: %1</source>
        <translation>Cannot list event sources: %1</translation>
    </message>
    <message>
        <source>Cannot list monitors: %1</source>
        <translation>Cannot list monitors: %1</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>Add source…</source>
        <translation>Add source…</translation>
    </message>
    <message>
        <source>Revoke source…</source>
        <translation>Revoke source…</translation>
    </message>
    <message>
        <source>Create an event source; its token is shown once</source>
        <translation>Create an event source; its token is shown once</translation>
    </message>
    <message>
        <source>The source&apos;s token is refused from now on</source>
        <translation>The source&apos;s token is refused from now on</translation>
    </message>
    <message>
        <source>Add event source</source>
        <translation>Add event source</translation>
    </message>
    <message>
        <source>Name of the source (for example crm or chat):</source>
        <translation>Name of the source (for example crm or chat):</translation>
    </message>
    <message>
        <source>Cannot add source %1: %2</source>
        <translation>Cannot add source %1: %2</translation>
    </message>
    <message>
        <source>Source %1 added</source>
        <translation>Source %1 added</translation>
    </message>
    <message>
        <source>The source&apos;s token is shown only now. Copy it into the source&apos;s configuration:

%1</source>
        <translation>The source&apos;s token is shown only now. Copy it into the source&apos;s configuration:

%1</translation>
    </message>
    <message>
        <source>Added source %1.</source>
        <translation>Added source %1.</translation>
    </message>
    <message>
        <source>Revoke source</source>
        <translation>Revoke source</translation>
    </message>
    <message>
        <source>Revoke source %1? Its token is refused at once.</source>
        <translation>Revoke source %1? Its token is refused at once.</translation>
    </message>
    <message>
        <source>Cannot revoke source %1: %2</source>
        <translation>Cannot revoke source %1: %2</translation>
    </message>
    <message>
        <source>Revoked source %1.</source>
        <translation>Revoked source %1.</translation>
    </message>
</context>
<context>
    <name>herald::TestPushDialog</name>
    <message>
        <source>Send test push</source>
        <translation>Send test push</translation>
    </message>
    <message>
        <source>User:</source>
        <translation>User:</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Device:</translation>
    </message>
    <message>
        <source>Text (optional):</source>
        <translation>Text (optional):</translation>
    </message>
    <message>
        <source>This is a test notification from your IT helpdesk.</source>
        <translation>This is a test notification from your IT helpdesk.</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Send</translation>
    </message>
    <message>
        <source>Herald decides like for a real notification: in-band when the app is in the foreground on that device, otherwise through the device&apos;s push provider.</source>
        <translation>Herald decides like for a real notification: in-band when the app is in the foreground on that device, otherwise through the device&apos;s push provider.</translation>
    </message>
    <message>
        <source>Cannot list users: %1</source>
        <translation>Cannot list users: %1</translation>
    </message>
    <message>
        <source>Cannot list the devices of %1: %2</source>
        <translation>Cannot list the devices of %1: %2</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>%1 — %2 (%3)</source>
        <translation>%1 — %2 (%3)</translation>
    </message>
    <message>
        <source>Sending to %1 and waiting for the outcome…</source>
        <translation>Sending to %1 and waiting for the outcome…</translation>
    </message>
    <message>
        <source>No verdict within the server&apos;s time limit; the push may still arrive.</source>
        <translation>No verdict within the server&apos;s time limit; the push may still arrive.</translation>
    </message>
    <message>
        <source>The test push was not sent: %1</source>
        <translation>The test push was not sent: %1</translation>
    </message>
</context>
<context>
    <name>herald::TestPushVerdict</name>
    <message>
        <source>Delivered in-band and acknowledged in %1 ms.</source>
        <translation>Delivered in-band and acknowledged in %1 ms.</translation>
    </message>
    <message>
        <source>The app was in the foreground but did not acknowledge within %1 ms, so it was sent as a push: %2</source>
        <translation>The app was in the foreground but did not acknowledge within %1 ms, so it was sent as a push: %2</translation>
    </message>
    <message>
        <source>The app was in the foreground but did not acknowledge within %1 ms.</source>
        <translation>The app was in the foreground but did not acknowledge within %1 ms.</translation>
    </message>
    <message>
        <source>%1 accepted it (in %2 ms). The phone shows it when it is online.</source>
        <translation>%1 accepted it (in %2 ms). The phone shows it when it is online.</translation>
    </message>
    <message>
        <source>The phone&apos;s push token is no longer valid: %1 — ask the user to open the app, which registers a new one.</source>
        <translation>The phone&apos;s push token is no longer valid: %1 — ask the user to open the app, which registers a new one.</translation>
    </message>
    <message>
        <source>%1 could not be reached: %2</source>
        <translation>%1 could not be reached: %2</translation>
    </message>
    <message>
        <source>%1 refused it: %2 (status %3).</source>
        <translation>%1 refused it: %2 (status %3).</translation>
    </message>
    <message>
        <source>No push provider is configured for this device&apos;s platform, and the app is not in the foreground.</source>
        <translation>No push provider is configured for this device&apos;s platform, and the app is not in the foreground.</translation>
    </message>
    <message>
        <source>Not delivered (%1).</source>
        <translation>Not delivered (%1).</translation>
    </message>
    <message>
        <source>Not delivered: %1</source>
        <translation>Not delivered: %1</translation>
    </message>
    <message>
        <source>Not delivered; the server gave no reason.</source>
        <translation>Not delivered; the server gave no reason.</translation>
    </message>
    <message>
        <source>%1 refused Herald&apos;s credentials or app settings (%2, status %3): the server&apos;s administrator must check the provider&apos;s key, team and topic.</source>
        <translation>%1 refused Herald&apos;s credentials or app settings (%2, status %3): the server&apos;s administrator must check the provider&apos;s key, team and topic.</translation>
    </message>
    <message>
        <source>%1 is busy or having trouble (status %2); nothing is wrong with the phone. Try again in a few minutes.</source>
        <translation>%1 is busy or having trouble (status %2); nothing is wrong with the phone. Try again in a few minutes.</translation>
    </message>
    <message>
        <source>The device registered without a push token, and the app is not in the foreground: it can only be reached while the app is open.</source>
        <translation>The device registered without a push token, and the app is not in the foreground: it can only be reached while the app is open.</translation>
    </message>
</context>
<context>
    <name>herald::UsersModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Devices</source>
        <translation>Devices</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Created</translation>
    </message>
    <message>
        <source>Disabled</source>
        <translation>Disabled</translation>
    </message>
    <message>
        <source>Active</source>
        <translation>Active</translation>
    </message>
    <message>
        <source>Remote session</source>
        <translation>Remote session</translation>
    </message>
</context>
<context>
    <name>herald::UsersPage</name>
    <message>
        <source>Refresh</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <source>New user…</source>
        <translation>New user…</translation>
    </message>
    <message>
        <source>Disable</source>
        <translation>Disable</translation>
    </message>
    <message>
        <source>Enable</source>
        <translation>Enable</translation>
    </message>
    <message>
        <source>Reset password…</source>
        <translation>Reset password…</translation>
    </message>
    <message>
        <source>Cannot list users: %1</source>
        <translation>Cannot list users: %1</translation>
    </message>
    <message>
        <source>Create a terminal account</source>
        <translation>Create a terminal account</translation>
    </message>
    <message>
        <source>The user can no longer log in; registered devices stop receiving notifications</source>
        <translation>The user can no longer log in; registered devices stop receiving notifications</translation>
    </message>
    <message>
        <source>Allow the user to log in again</source>
        <translation>Allow the user to log in again</translation>
    </message>
    <message>
        <source>Set a new password for the user</source>
        <translation>Set a new password for the user</translation>
    </message>
    <message>
        <source>New user</source>
        <translation>New user</translation>
    </message>
    <message>
        <source>Created user %1.</source>
        <translation>Created user %1.</translation>
    </message>
    <message>
        <source>Cannot change %1: %2</source>
        <translation>Cannot change %1: %2</translation>
    </message>
    <message>
        <source>Disabled %1.</source>
        <translation>Disabled %1.</translation>
    </message>
    <message>
        <source>Enabled %1.</source>
        <translation>Enabled %1.</translation>
    </message>
    <message>
        <source>New password for %1</source>
        <translation>New password for %1</translation>
    </message>
    <message>
        <source>Set a new password for %1.</source>
        <translation>Set a new password for %1.</translation>
    </message>
</context>
</TS>

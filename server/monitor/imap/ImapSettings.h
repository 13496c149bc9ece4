#pragma once

#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace herald {

// How to reach the IMAP server and how to behave there, from one config section such as [imap]:
//
//   host = mail.example.org          (required)
//   port = 993                       (default: 993 for tls, 143 otherwise)
//   security = tls | starttls | plain   (default tls; plain only to a loopback host)
//   ca_file = /etc/herald/imap-ca.pem    (extra CA certificates to trust; system CAs stay trusted)
//   mailboxes = INBOX, Lists/Work        (comma-separated; default INBOX; the first is IDLEd on)
//   master_user = herald                 (Dovecot master user: log in as "<user>*herald")
//   master_password_file = /etc/herald/imap-master.pw  (mode 0600 or stricter)
//   master_separator = *
//   idle_refresh_secs = 1500          (re-issue IDLE before the server's 30 min cut-off; also at
//                                      2/3 of dead_after_secs at the latest, so quiet servers stay up)
//   dead_after_secs = 300             (no byte for this long, "* OK Still here" included: reconnect)
//   excerpt_bytes = 2048              (body excerpt for privacy "full"; 0 never fetches a body)
//   backoff_min_ms = 1000, backoff_max_secs = 300   (reconnect back-off bounds, jittered)
//   poll_secs = 120                   (several mailboxes and no NOTIFY: how often to check the others)
struct ImapSettings
{
    enum class Security { Tls, StartTls, Plain };

    QString host;
    quint16 port = 993;
    Security security = Security::Tls;
    QString caFile;
    QStringList mailboxes{QStringLiteral("INBOX")};
    QString masterUser;
    QString masterPassword; // read from master_password_file; never logged
    QString masterSeparator = QStringLiteral("*");
    int idleRefreshSecs = 25 * 60;
    int deadAfterSecs = 5 * 60;
    int excerptBytes = 2048;
    int backoffMinMs = 1000;
    int backoffMaxSecs = 300;
    int pollSecs = 120;

    bool hasMasterUser() const { return !masterUser.isEmpty(); }

    // Parses and validates a section. Unknown keys are errors (a typo must not silently fall back
    // to a default). Errors read "<file>: [<section>] <key>: <problem>".
    static std::optional<ImapSettings> fromSection(const QHash<QString, QString> &values, const QString &section,
                                                   const QString &fileName, QString *error);
    static bool isLoopbackHost(const QString &host);
};

} // namespace herald

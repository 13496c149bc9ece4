#pragma once

#include <QByteArray>
#include <QMap>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

#include <memory>

namespace herald::test {

// A private Dovecot for one test: generated dovecot.conf, state, logs and maildirs in a temporary
// folder, listening on 127.0.0.1 on free ports, started with `dovecot -F` and stopped at the end.
// Users and one master user (`user*master`) come from passwd-files. The system's Dovecot service is
// never touched. Running as root works: Dovecot's own processes drop to dovecot/dovenull, mail is
// owned by nobody.
class DovecotServer
{
public:
    struct Options
    {
        bool tls = false;               // also listen with implicit TLS and offer STARTTLS (self-signed cert)
        int idleNotifySecs = 120;       // Dovecot's "* OK Still here" interval while IDLE
        int maxUserIpConnections = 50;  // mail_max_userip_connections
        int processLimit = 200;         // imap process_limit
        int imapClientLimit = 1;        // sessions per imap process (Dovecot's default is one)
        QString extraConfig;            // appended verbatim
    };

    DovecotServer();
    explicit DovecotServer(const Options &options);
    ~DovecotServer();

    // Finds the dovecot binary; empty when it is not installed.
    static QString dovecotBinary();

    void addUser(const QString &name, const QString &password);
    void setMasterUser(const QString &name, const QString &password);

    bool start(QString *error);
    void stop();
    bool isRunning() const;

    QString host() const { return QStringLiteral("127.0.0.1"); }
    quint16 imapPort() const { return m_imapPort; }   // plain (and STARTTLS when tls)
    quint16 imapsPort() const { return m_imapsPort; } // implicit TLS, 0 unless tls
    QString caFile() const;                          // the self-signed certificate, when tls
    QString directory() const { return m_dir.path(); }
    QString log() const;

    // Puts a message into the user's INBOX (or another mailbox) with dovecot-lda, the way an MTA would.
    bool deliver(const QString &user, const QByteArray &message, QString *error, const QString &mailbox = QString());
    // A ready-made message with the given sender and subject (non-ASCII is RFC 2047-encoded).
    static QByteArray makeMessage(const QString &fromName, const QString &fromAddress, const QString &subject,
                                  const QString &body = QStringLiteral("Hello"));
    bool createMailbox(const QString &user, const QString &mailbox, QString *error);
    // Disconnects the user's IMAP sessions (doveadm kick).
    bool kick(const QString &user, QString *error);
    int countInLog(const QString &needle) const;
    // Runs doveadm against this instance, e.g. {"fetch", "-u", "alice", "flags", "mailbox", "INBOX", "all"}.
    bool doveadm(const QStringList &args, QString *output);

private:
    bool writeConfig(QString *error);
    bool makeCertificate(QString *error);
    bool waitForStartUp(qint64 logStart, bool *portTaken, QString *error);
    bool greets(quint16 port, QString *error);
    bool runTool(const QString &program, const QStringList &args, const QByteArray &input, QString *error,
                 QString *output = nullptr);
    QString path(const QString &name) const { return m_dir.filePath(name); }

    Options m_options;
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QMap<QString, QString> m_users;
    QString m_masterName;
    QString m_masterPassword;
    quint16 m_imapPort = 0;
    quint16 m_imapsPort = 0;
};

} // namespace herald::test

#include "monitor/imap/ImapCheckpoint.h"
#include "monitor/imap/ImapSettings.h"
#include "monitor/imap/ImapSyntax.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace herald;

class tst_ImapSettings : public QObject
{
    Q_OBJECT

private:
    static std::optional<ImapSettings> parse(const QHash<QString, QString> &values, QString *error)
    {
        return ImapSettings::fromSection(values, QStringLiteral("imap"), QStringLiteral("herald.conf"), error);
    }

private slots:
    void defaults()
    {
        QString error;
        auto s = parse({{QStringLiteral("host"), QStringLiteral("mail.example.org")}}, &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->security, ImapSettings::Security::Tls);
        QCOMPARE(s->port, quint16(993));
        QCOMPARE(s->mailboxes, QStringList{QStringLiteral("INBOX")});
        QVERIFY(s->idleRefreshSecs < 29 * 60);
        QVERIFY(!s->hasMasterUser());
    }

    void everything()
    {
        QTemporaryDir dir;
        const QString pwFile = dir.filePath(QStringLiteral("master.pw"));
        QFile f(pwFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("m4ster\n");
        f.close();
        QFile::setPermissions(pwFile, QFile::ReadOwner | QFile::WriteOwner);
        QString error;
        auto s = parse({{QStringLiteral("host"), QStringLiteral("127.0.0.1")},
                        {QStringLiteral("port"), QStringLiteral("1143")},
                        {QStringLiteral("security"), QStringLiteral("plain")},
                        {QStringLiteral("mailboxes"), QStringLiteral("inbox, Lists/Work ,Entwürfe")},
                        {QStringLiteral("master_user"), QStringLiteral("herald")},
                        {QStringLiteral("master_password_file"), pwFile},
                        {QStringLiteral("idle_refresh_secs"), QStringLiteral("5")},
                        {QStringLiteral("dead_after_secs"), QStringLiteral("7")},
                        {QStringLiteral("excerpt_bytes"), QStringLiteral("0")},
                        {QStringLiteral("backoff_min_ms"), QStringLiteral("50")},
                        {QStringLiteral("backoff_max_secs"), QStringLiteral("2")}},
                       &error);
        QVERIFY2(s, qPrintable(error));
        QCOMPARE(s->port, quint16(1143));
        QCOMPARE(s->security, ImapSettings::Security::Plain);
        QCOMPARE(s->mailboxes, (QStringList{QStringLiteral("INBOX"), QStringLiteral("Lists/Work"), QStringLiteral("Entwürfe")}));
        QCOMPARE(s->masterUser, QStringLiteral("herald"));
        QCOMPARE(s->masterPassword, QStringLiteral("m4ster"));
        QCOMPARE(s->idleRefreshSecs, 5);
        QCOMPARE(s->deadAfterSecs, 7);
        QCOMPARE(s->excerptBytes, 0);
        QCOMPARE(s->backoffMinMs, 50);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("expected");
        QTest::newRow("plain to a remote host") << QStringLiteral("security") << QStringLiteral("plain")
                                                << QStringLiteral("[imap] security: \"plain\" is only allowed");
        QTest::newRow("bad security") << QStringLiteral("security") << QStringLiteral("ssl3")
                                      << QStringLiteral("must be tls, starttls or plain");
        QTest::newRow("bad port") << QStringLiteral("port") << QStringLiteral("70000")
                                  << QStringLiteral("port: must be a whole number from 1 to 65535");
        QTest::newRow("idle too long") << QStringLiteral("idle_refresh_secs") << QStringLiteral("1800")
                                       << QStringLiteral("idle_refresh_secs: must be a whole number from 1 to 1740");
        QTest::newRow("unknown key") << QStringLiteral("hots") << QStringLiteral("x") << QStringLiteral("hots: unknown key");
        QTest::newRow("empty mailbox") << QStringLiteral("mailboxes") << QStringLiteral("INBOX,,Work")
                                       << QStringLiteral("empty mailbox name");
        QTest::newRow("wildcard mailbox") << QStringLiteral("mailboxes") << QStringLiteral("*")
                                          << QStringLiteral("invalid mailbox name");
        QTest::newRow("master without file") << QStringLiteral("master_user") << QStringLiteral("herald")
                                             << QStringLiteral("go together");
        QTest::newRow("missing ca") << QStringLiteral("ca_file") << QStringLiteral("/nonexistent/ca.pem")
                                    << QStringLiteral("cannot read /nonexistent/ca.pem");
    }

    void errors()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, expected);
        QString error;
        auto s = parse({{QStringLiteral("host"), QStringLiteral("mail.example.org")}, {key, value}}, &error);
        QVERIFY(!s);
        QVERIFY2(error.startsWith(QLatin1String("herald.conf: [imap] ")), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void missingHost()
    {
        QString error;
        QVERIFY(!parse({}, &error));
        QVERIFY2(error.contains(QLatin1String("host")), qPrintable(error));
    }

    void plainIsFineOnLoopback()
    {
        for (const char *host : {"localhost", "127.0.0.1", "127.0.0.2", "::1"}) {
            QString error;
            auto s = parse({{QStringLiteral("host"), QString::fromLatin1(host)},
                            {QStringLiteral("security"), QStringLiteral("plain")}},
                           &error);
            QVERIFY2(s, qPrintable(error));
            QCOMPARE(s->port, quint16(143));
        }
        QVERIFY(!ImapSettings::isLoopbackHost(QStringLiteral("10.0.0.1")));
        QVERIFY(!ImapSettings::isLoopbackHost(QStringLiteral("localhost.example.org")));
    }

    void masterPasswordFileMustBePrivate()
    {
        QTemporaryDir dir;
        const QString pwFile = dir.filePath(QStringLiteral("master.pw"));
        QFile f(pwFile);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("pw\n");
        f.close();
        QFile::setPermissions(pwFile, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadOther);
        QString error;
        auto s = parse({{QStringLiteral("host"), QStringLiteral("mail.example.org")},
                        {QStringLiteral("master_user"), QStringLiteral("herald")},
                        {QStringLiteral("master_password_file"), pwFile}},
                       &error);
        QVERIFY(!s);
        QVERIFY2(error.contains(QLatin1String("chmod 600")), qPrintable(error));
        QVERIFY(!error.contains(QLatin1String("pw\n")));
    }

    void checkpointRoundTrip()
    {
        ImapCheckpoint cp;
        cp.setMark(QStringLiteral("INBOX"), {1795835986u, 42u});
        cp.setMark(QStringLiteral("Lists/Work"), {7u, 0u});
        bool ok = false;
        const ImapCheckpoint back = ImapCheckpoint::fromBytes(cp.toBytes(), &ok);
        QVERIFY(ok);
        QCOMPARE(back.mark(QStringLiteral("INBOX")).uidValidity, 1795835986u);
        QCOMPARE(back.mark(QStringLiteral("INBOX")).lastUid, 42u);
        QVERIFY(back.contains(QStringLiteral("Lists/Work")));
        QVERIFY(!back.contains(QStringLiteral("Other")));

        for (const QByteArray &bad : {QByteArray("garbage"), QByteArray(R"({"v":2,"m":{}})"),
                                      QByteArray(R"({"v":1,"m":{"INBOX":[0,5]}})"),
                                      QByteArray(R"({"v":1,"m":{"INBOX":[1,-5]}})")}) {
            const ImapCheckpoint c = ImapCheckpoint::fromBytes(bad, &ok);
            QVERIFY2(!ok, bad.constData());
            QVERIFY(c.isEmpty());
        }
    }

    void mailboxNames()
    {
        QCOMPARE(ImapSyntax::encodeMailboxName(QStringLiteral("Entwürfe")), QByteArray("Entw&APw-rfe"));
        QCOMPARE(ImapSyntax::encodeMailboxName(QStringLiteral("A&B")), QByteArray("A&-B"));
        QCOMPARE(ImapSyntax::encodeMailboxName(QStringLiteral("台北")), QByteArray("&U,BTFw-"));
        QCOMPARE(ImapSyntax::mailboxArgument(QStringLiteral("inbox")), QByteArray("INBOX"));
        QCOMPARE(ImapSyntax::mailboxArgument(QStringLiteral("Lists/\"W\"")), QByteArray("\"Lists/\\\"W\\\"\""));
        QVERIFY(ImapSyntax::quoted("a\r\nb").isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_ImapSettings)
#include "tst_ImapSettings.moc"

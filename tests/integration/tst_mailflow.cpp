// Issue 5 end to end: POST /v1/login with an app password starts IMAP IDLE monitoring of a real
// Dovecot inside herald-server; new mail becomes one push; a restart resumes the monitor and
// reports mail that arrived meanwhile once; logout stops it; wrong credentials are recorded and
// not retried; the password is stored only encrypted.
#include "DeliveryFixture.h"
#include "TestDatabase.h"
#include "DovecotServer.h"
#include "TcpGate.h"

#include <QJsonArray>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

LoginRecord loginOf(DeliveryFixture &f)
{
    QString error;
    const auto storage = TestDatabase::open(f.server().dataDir(), &error);
    if (!storage)
        return {};
    const auto logins = storage->logins().value_or(QList<LoginRecord>());
    return logins.isEmpty() ? LoginRecord() : logins.first();
}

QByteArray config(quint16 imapPort)
{
    return QStringLiteral("[imap.corp]\nhost = 127.0.0.1\nport = %1\nsecurity = plain\n"
                          "[app.mail]\nmonitor = imap.corp\nprivacy = summary\n")
        .arg(imapPort)
        .toUtf8();
}

QByteArray config(const DovecotServer &dovecot)
{
    return config(dovecot.imapPort());
}

// Whether alice has an IMAP session open on Dovecot right now (doveadm who).
bool imapSessionOpen(DovecotServer &dovecot)
{
    QString out;
    return dovecot.doveadm({QStringLiteral("who"), QStringLiteral("-1")}, &out) && out.contains(QStringLiteral("alice"));
}

bool loginWith(DeliveryFixture &f, const QString &token, const QString &password)
{
    const QJsonObject body{{QStringLiteral("apps"),
                            QJsonArray{QJsonObject{{QStringLiteral("app"), QStringLiteral("mail")},
                                                   {QStringLiteral("credentials"),
                                                    QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                                                {QStringLiteral("password"), password}}}}}}};
    return f.http().post(QStringLiteral("/v1/login"), body, token).status == 200;
}

} // namespace

class tst_MailFlow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void loginMonitorsMailboxUntilLogout()
    {
        DovecotServer dovecot;
        dovecot.addUser(QStringLiteral("alice"), QStringLiteral("dove-secret-1"));
        QString error;
        QVERIFY2(dovecot.start(&error), qPrintable(error));
        DeliveryFixture f({}, config(dovecot));
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(loginWith(f, token, QStringLiteral("dove-secret-1")));
        QTRY_COMPARE_WITH_TIMEOUT(loginOf(f).monitorState, QStringLiteral("watching"), 20000);

        // The app password is stored, but only sealed.
        QVERIFY(!loginOf(f).credentials.isEmpty());
        const QByteArray dbBytes = TestDatabase::contents(f.server().dataDir());
        QVERIFY(!dbBytes.isEmpty());
        QVERIFY(!dbBytes.contains("dove-secret-1"));

        QVERIFY2(dovecot.deliver(QStringLiteral("alice"),
                                 DovecotServer::makeMessage(QStringLiteral("Carol Jones"), QStringLiteral("carol@example.com"),
                                                            QStringLiteral("Budget draft")),
                                 &error),
                 qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes().size(), 1, 20000);
        QCOMPARE(f.pushes().first().value(QStringLiteral("body")).toString(), QStringLiteral("New mail from Carol Jones"));

        // Mail that arrives while the server is down is reported once after the restart.
        QCOMPARE(f.server().stop(), 0);
        QVERIFY(dovecot.deliver(QStringLiteral("alice"),
                                DovecotServer::makeMessage(QStringLiteral("Dan"), QStringLiteral("dan@example.com"),
                                                           QStringLiteral("While you were out")),
                                &error));
        QVERIFY(f.restart());
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes().size(), 2, 20000);
        QCOMPARE(f.pushes().last().value(QStringLiteral("body")).toString(), QStringLiteral("New mail from Dan"));
        QVERIFY(f.restart());
        QTRY_COMPARE_WITH_TIMEOUT(loginOf(f).monitorState, QStringLiteral("watching"), 20000);
        // Resumed from its checkpoint: Dan's mail is not reported again, the next one is.
        QVERIFY(dovecot.deliver(QStringLiteral("alice"),
                                DovecotServer::makeMessage(QStringLiteral("Fay"), QStringLiteral("fay@example.com"),
                                                           QStringLiteral("Back again")),
                                &error));
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes().size(), 3, 20000);
        QCOMPARE(f.pushes().last().value(QStringLiteral("body")).toString(), QStringLiteral("New mail from Fay"));

        // Logout stops monitoring: the monitor's IMAP session ends, so new mail stays unreported.
        QTRY_VERIFY_WITH_TIMEOUT(imapSessionOpen(dovecot), 10000);
        QCOMPARE(f.http().post(QStringLiteral("/v1/logout"), QJsonObject(), token).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(!imapSessionOpen(dovecot), 10000);
        QVERIFY(dovecot.deliver(QStringLiteral("alice"),
                                DovecotServer::makeMessage(QStringLiteral("Eve"), QStringLiteral("eve@example.com"),
                                                           QStringLiteral("After logout")),
                                &error));
        QCOMPARE(f.pushes().size(), 3);
        QVERIFY(loginOf(f).app.isEmpty()); // the login row, and its sealed password, are gone
    }

    void mailRightAfterTheLoginAnswerIsReported()
    {
        // The monitor's connection is held on its way to Dovecot, so a mail delivered right after
        // the login answer is certainly in the mailbox before the monitor's first EXAMINE: it was
        // received after the login and must be reported. A mail from before the login is not.
        DovecotServer dovecot;
        dovecot.addUser(QStringLiteral("alice"), QStringLiteral("dove-secret-1"));
        QString error;
        QVERIFY2(dovecot.start(&error), qPrintable(error));
        TcpGate gate(dovecot.host(), dovecot.imapPort());
        QVERIFY(gate.listen());
        DeliveryFixture f({}, config(gate.port()));
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(dovecot.deliver(QStringLiteral("alice"),
                                DovecotServer::makeMessage(QStringLiteral("Old"), QStringLiteral("old@example.com"),
                                                           QStringLiteral("Before the login")),
                                &error));
        // INTERNALDATE has whole seconds, and the login's own second counts as after the login.
        const qint64 deliveredIn = QDateTime::currentSecsSinceEpoch();
        QTRY_VERIFY(QDateTime::currentSecsSinceEpoch() > deliveredIn);

        QVERIFY(loginWith(f, token, QStringLiteral("dove-secret-1")));
        QVERIFY2(dovecot.deliver(QStringLiteral("alice"),
                                 DovecotServer::makeMessage(QStringLiteral("Grace"), QStringLiteral("grace@example.com"),
                                                            QStringLiteral("Right after login")),
                                 &error),
                 qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(gate.heldConnections() > 0, 20000);
        gate.open();
        QTRY_COMPARE_WITH_TIMEOUT(loginOf(f).monitorState, QStringLiteral("watching"), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes().size(), 1, 20000);
        QCOMPARE(f.pushes().first().value(QStringLiteral("body")).toString(), QStringLiteral("New mail from Grace"));

        // Mail from now on is reported as before, once; the old one never.
        QVERIFY(dovecot.deliver(QStringLiteral("alice"),
                                DovecotServer::makeMessage(QStringLiteral("Heidi"), QStringLiteral("heidi@example.com"),
                                                           QStringLiteral("Later")),
                                &error));
        QTRY_COMPARE_WITH_TIMEOUT(f.pushes().size(), 2, 20000);
        // Within the group window of Grace's mail: the phone's one notification now counts both.
        QCOMPARE(f.pushes().last().value(QStringLiteral("body")).toString(),
                 QString::fromUtf8("2 new mails — Heidi and Grace"));
    }

    void wrongPasswordIsRecordedNotRetried()
    {
        DovecotServer dovecot;
        dovecot.addUser(QStringLiteral("alice"), QStringLiteral("dove-secret-1"));
        QString error;
        QVERIFY2(dovecot.start(&error), qPrintable(error));
        DeliveryFixture f({}, config(dovecot));
        QVERIFY(f.start());
        const QString token = f.registerDevice(QStringLiteral("phone"));
        QVERIFY(loginWith(f, token, QStringLiteral("wrong-password")));
        QTRY_COMPARE_WITH_TIMEOUT(loginOf(f).monitorState, QStringLiteral("failed"), 20000);
        QVERIFY2(!loginOf(f).monitorError.isEmpty(), "the reason is visible to admins");
        // Dovecot writes "(auth failed, N attempts in S secs)" when the connection ends: the monitor
        // tried once and hung up. (That a failed login arms no retry is ImapMonitor's to prove:
        // tst_ImapMonitorDovecot.)
        QTRY_VERIFY_WITH_TIMEOUT(dovecot.countInLog(QStringLiteral("auth failed")) >= 1, 10000);
        QCOMPARE(dovecot.countInLog(QStringLiteral("auth failed")), 1);
        QCOMPARE(dovecot.countInLog(QStringLiteral("(auth failed, 1 attempts")), 1);
        QCOMPARE(loginOf(f).monitorState, QStringLiteral("failed"));
    }
};

QTEST_GUILESS_MAIN(tst_MailFlow)
#include "tst_mailflow.moc"

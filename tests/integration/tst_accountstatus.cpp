// Disabling an account takes effect in the running server at once, whichever way it is done: the
// admin API, or `herald-server user disable` from another process. Its IMAP monitors (against a
// real Dovecot) stop and its devices' session channels end; enabling it resumes the monitors.
// Revoking a device (admin API, or the device's own DELETE /v1/register) ends its session at once.
#include "DeliveryFixture.h"
#include "TestDatabase.h"
#include "DovecotServer.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QtTest>

using namespace herald;
using namespace herald::test;

namespace {

QByteArray config(const DovecotServer &dovecot)
{
    return QStringLiteral("[imap.corp]\nhost = 127.0.0.1\nport = %1\nsecurity = plain\n"
                          "[app.mail]\nmonitor = imap.corp\nprivacy = summary\n")
        .arg(dovecot.imapPort())
        .toUtf8();
}

} // namespace

class tst_AccountStatus : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DovecotServer> m_dovecot;
    std::unique_ptr<DeliveryFixture> m_f;
    QString m_admin; // admin console token

    QString monitorState()
    {
        QString error;
        const auto storage = TestDatabase::open(m_f->server().dataDir(), &error);
        if (!storage)
            return error;
        const auto logins = storage->logins().value_or(QList<LoginRecord>());
        return logins.isEmpty() ? QStringLiteral("no login") : logins.first().monitorState;
    }

    // Whether Dovecot has an IMAP session of alice's open right now (doveadm who).
    bool aliceConnectedToDovecot()
    {
        QString out;
        return m_dovecot->doveadm({QStringLiteral("who"), QStringLiteral("-1")}, &out)
               && out.contains(QStringLiteral("alice"));
    }

    QString loggedInDevice(const QString &deviceId)
    {
        const QString token = m_f->registerDevice(deviceId);
        const QJsonObject body{{QStringLiteral("apps"),
                                QJsonArray{QJsonObject{{QStringLiteral("app"), QStringLiteral("mail")},
                                                       {QStringLiteral("credentials"),
                                                        QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                                                    {QStringLiteral("password"), QStringLiteral("dove-1")}}}}}}};
        if (token.isEmpty() || m_f->http().post(QStringLiteral("/v1/login"), body, token).status != 200)
            return {};
        return token;
    }

    bool setDisabledByAdmin(bool disabled)
    {
        const QString path = QStringLiteral("/admin/v1/users/alice/") + (disabled ? "disable" : "enable");
        return m_f->http().request("POST", path, {}, m_admin).status == 200;
    }

private Q_SLOTS:
    void init()
    {
        if (DovecotServer::dovecotBinary().isEmpty())
            QSKIP("dovecot is not installed (scripts/deps.sh installs it)");
        m_dovecot = std::make_unique<DovecotServer>();
        m_dovecot->addUser(QStringLiteral("alice"), QStringLiteral("dove-1"));
        QString error;
        QVERIFY2(m_dovecot->start(&error), qPrintable(error));
        m_f = std::make_unique<DeliveryFixture>(QStringList(), config(*m_dovecot));
        QVERIFY(m_f->start());
        QFile password(m_f->server().dataDir() + QStringLiteral("/initial-admin-password"));
        QVERIFY(password.open(QIODevice::ReadOnly));
        const auto login = m_f->http().post(QStringLiteral("/admin/v1/login"),
                                            QJsonObject{{QStringLiteral("username"), QStringLiteral("admin")},
                                                        {QStringLiteral("password"), QString::fromUtf8(password.readAll().trimmed())}});
        QCOMPARE(login.status, 200);
        m_admin = login.json().object().value(QStringLiteral("token")).toString();
        QVERIFY(!m_admin.isEmpty());
    }

    void cleanup()
    {
        m_f.reset();
        m_dovecot.reset();
    }

    void disablingThroughTheAdminApiStopsMonitorsAndSessions()
    {
        const QString token = loggedInDevice(QStringLiteral("phone"));
        QVERIFY(!token.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(monitorState(), QStringLiteral("watching"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(aliceConnectedToDovecot(), 10000);
        const auto session = m_f->openSession(token);
        QVERIFY(session);
        QSignalSpy ended(session.get(), &SessionChannel::disconnected);

        QVERIFY(setDisabledByAdmin(true));
        QVERIFY(ended.count() > 0 || ended.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(monitorState(), QStringLiteral("stopped"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!aliceConnectedToDovecot(), 10000);

        // Enabling resumes the monitor from its login, with no new POST /v1/login.
        QVERIFY(setDisabledByAdmin(false));
        QTRY_COMPARE_WITH_TIMEOUT(monitorState(), QStringLiteral("watching"), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(aliceConnectedToDovecot(), 10000);
        QVERIFY(m_f->openSession(token)); // and its devices may connect again
    }

    void disablingFromTheCommandLineIsNoticedByTheRunningServer()
    {
        const QString token = loggedInDevice(QStringLiteral("phone"));
        QVERIFY(!token.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(monitorState(), QStringLiteral("watching"), 20000);
        const auto session = m_f->openSession(token);
        QVERIFY(session);
        QSignalSpy ended(session.get(), &SessionChannel::disconnected);

        const auto disabled = m_f->server().runCommand({QStringLiteral("user"), QStringLiteral("disable"), QStringLiteral("alice")});
        QCOMPARE(disabled.exitCode, 0);
        QVERIFY(ended.count() > 0 || ended.wait(10000));
        QTRY_COMPARE_WITH_TIMEOUT(monitorState(), QStringLiteral("stopped"), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(!aliceConnectedToDovecot(), 10000);

        const auto enabled = m_f->server().runCommand({QStringLiteral("user"), QStringLiteral("enable"), QStringLiteral("alice")});
        QCOMPARE(enabled.exitCode, 0);
        QTRY_COMPARE_WITH_TIMEOUT(monitorState(), QStringLiteral("watching"), 20000);
    }

    void revokingADeviceEndsItsSession()
    {
        const QString phone = m_f->registerDevice(QStringLiteral("phone"));
        const QString tablet = m_f->registerDevice(QStringLiteral("tablet"));
        const auto phoneSession = m_f->openSession(phone);
        const auto tabletSession = m_f->openSession(tablet);
        QVERIFY(phoneSession && tabletSession);
        QSignalSpy phoneEnded(phoneSession.get(), &SessionChannel::disconnected);
        QSignalSpy tabletEnded(tabletSession.get(), &SessionChannel::disconnected);

        QCOMPARE(m_f->http().request("DELETE", QStringLiteral("/admin/v1/devices/phone"), {}, m_admin).status, 204);
        QVERIFY(phoneEnded.count() > 0 || phoneEnded.wait(10000));
        QCOMPARE(tabletEnded.count(), 0);

        QCOMPARE(m_f->http().request("DELETE", QStringLiteral("/v1/register"), {}, tablet).status, 204);
        QVERIFY(tabletEnded.count() > 0 || tabletEnded.wait(10000));
    }
};

QTEST_GUILESS_MAIN(tst_AccountStatus)
#include "tst_accountstatus.moc"

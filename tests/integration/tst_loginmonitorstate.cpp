// POST /v1/login says per app whether its monitor really runs (issue 18), against a real Dovecot:
// the right password is "watching"; a wrong one is "failing" with auth_failed, an unreachable IMAP
// port "failing" with connection_failed — never monitoring:true. GET /admin/v1/monitors shows the
// same states to the console, with roles and bad input checked. A login and a logout sent at
// once on two connections end as one or the other, never a monitor without its login.
#include "AdminFixture.h"
#include "DovecotServer.h"
#include "LiveFeedClient.h"

#include <QJsonArray>
#include <QSslSocket>
#include <QTcpServer>
#include <QtTest>

using namespace herald::test;

namespace {

QByteArray config(quint16 imapPort)
{
    return QStringLiteral("[imap.corp]\nhost = 127.0.0.1\nport = %1\nsecurity = plain\n"
                          "[app.mail]\nmonitor = imap.corp\nprivacy = summary\n"
                          "[app.chat]\nprivacy = summary\n")
        .arg(imapPort)
        .toUtf8();
}

QJsonObject loginBody(const QString &password)
{
    return {{QStringLiteral("apps"),
             QJsonArray{QJsonObject{{QStringLiteral("app"), QStringLiteral("mail")},
                                    {QStringLiteral("credentials"), QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                                                                {QStringLiteral("password"), password}}}},
                        QJsonObject{{QStringLiteral("app"), QStringLiteral("chat")}}}}};
}

QJsonObject appEntry(const HttpsClient::Reply &reply, const QString &app)
{
    for (const QJsonValue &v : reply.json().object().value(QStringLiteral("apps")).toArray())
        if (v.toObject().value(QStringLiteral("app")).toString() == app)
            return v.toObject();
    return {};
}

// A loopback port nothing listens on: bound, noted and released.
quint16 closedPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    const quint16 port = probe.serverPort();
    probe.close();
    return port;
}

} // namespace

class tst_LoginMonitorState : public QObject
{
    Q_OBJECT

private:
    struct Setup
    {
        std::unique_ptr<AdminFixture> fx;
        QString token;
    };
    static bool start(Setup &s, quint16 imapPort)
    {
        s.fx = std::make_unique<AdminFixture>(QStringList{}, config(imapPort));
        if (!s.fx->start())
            return false;
        s.token = s.fx->delivery().registerDevice(QStringLiteral("phone"), {QStringLiteral("mail"), QStringLiteral("chat")});
        return !s.token.isEmpty();
    }
    // alice's mailbox on a Dovecot of the test's own, and a server watching it with her phone.
    static bool startWithDovecot(DovecotServer &dovecot, Setup &s, QString *error)
    {
        dovecot.addUser(QStringLiteral("alice"), QStringLiteral("dove-secret-1"));
        if (!dovecot.start(error))
            return false;
        *error = QStringLiteral("the server did not start or the phone did not register");
        return start(s, dovecot.imapPort());
    }
    static QJsonObject monitorOf(AdminFixture &fx, const QString &app, const QString &token)
    {
        const auto reply = fx.http().get(QStringLiteral("/admin/v1/monitors?user=alice"), token);
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("monitors")).toArray())
            if (v.toObject().value(QStringLiteral("app")).toString() == app)
                return v.toObject();
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (DovecotServer::dovecotBinary().isEmpty())
            QSKIP("dovecot is not installed (scripts/deps.sh installs it)");
    }

    void rightPasswordIsWatching()
    {
        DovecotServer dovecot;
        Setup s;
        QString error;
        QVERIFY2(startWithDovecot(dovecot, s, &error), qPrintable(error));
        const auto reply = s.fx->http().post(QStringLiteral("/v1/login"), loginBody(QStringLiteral("dove-secret-1")), s.token);
        QCOMPARE(reply.status, 200);
        const QJsonObject mail = appEntry(reply, QStringLiteral("mail"));
        QCOMPARE(mail.value(QStringLiteral("monitoring")).toBool(), true);
        QCOMPARE(mail.value(QStringLiteral("state")).toString(), QStringLiteral("watching"));
        QVERIFY(mail.value(QStringLiteral("reason")).isNull());
        QCOMPARE(mail.value(QStringLiteral("monitor")).toString(), QStringLiteral("imap.corp"));
        const QJsonObject chat = appEntry(reply, QStringLiteral("chat"));
        QCOMPARE(chat.value(QStringLiteral("monitoring")).toBool(), true);
        QCOMPARE(chat.value(QStringLiteral("monitor")).toString(), QStringLiteral("events"));

        // The console sees it too, helpdesk included.
        const QJsonObject listed = monitorOf(*s.fx, QStringLiteral("mail"), s.fx->helpdesk());
        QCOMPARE(listed.value(QStringLiteral("state")).toString(), QStringLiteral("watching"));
        QCOMPARE(listed.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(listed.value(QStringLiteral("monitor")).toString(), QStringLiteral("imap.corp"));
        QVERIFY(QDateTime::fromString(listed.value(QStringLiteral("since")).toString(), Qt::ISODateWithMs).isValid());
        QCOMPARE(monitorOf(*s.fx, QStringLiteral("chat"), s.fx->admin()).value(QStringLiteral("monitor")).toString(), QStringLiteral("events"));
        const auto stats = s.fx->http().get(QStringLiteral("/admin/v1/stats"), s.fx->helpdesk());
        QCOMPARE(stats.json().object().value(QStringLiteral("monitors")).toObject().value(QStringLiteral("watching")).toInt(), 2);

        // Logging out stops it: it leaves the list, and the feed says so.
        LiveFeedClient desk;
        QVERIFY(desk.open(s.fx->server(), s.fx->helpdesk(), true));
        QCOMPARE(s.fx->http().post(QStringLiteral("/v1/logout"), QJsonObject{}, s.token).status, 200);
        QVERIFY(!desk.waitFor([](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("monitor") &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("stopped");
        }).isEmpty());
        QVERIFY(monitorOf(*s.fx, QStringLiteral("mail"), s.fx->admin()).isEmpty());
    }

    void loginAndLogoutAtOnceStayConsistent()
    {
        // The login's row is written off the event loop and its monitor starts after the commit.
        // A logout sent at the same moment on another connection may be handled before or after
        // it (each first reads its bearer token, side by side), but the outcome is one of the
        // two, never a mix: either the login is stored and its monitor runs, or neither.
        DovecotServer dovecot;
        Setup s;
        QString error;
        QVERIFY2(startWithDovecot(dovecot, s, &error), qPrintable(error));
        auto connectRaw = [&] {
            auto socket = std::make_unique<QSslSocket>();
            QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
            tls.setCaCertificates(s.fx->server().caCertificates());
            socket->setSslConfiguration(tls);
            socket->connectToHostEncrypted(QStringLiteral("127.0.0.1"), s.fx->server().port(), QStringLiteral("localhost"));
            return socket->waitForEncrypted(10000) ? std::move(socket) : nullptr;
        };
        auto request = [&](const QByteArray &path, const QJsonObject &body) {
            const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
            return "POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nContent-Type: application/json\r\n"
                   "Authorization: Bearer " + s.token.toUtf8() + "\r\nContent-Length: " + QByteArray::number(json.size()) +
                   "\r\n\r\n" + json;
        };
        auto answerOf = [](QSslSocket &socket) {
            QByteArray received;
            while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(20000))
                received += socket.readAll();
            return received + socket.readAll();
        };
        for (int round = 0; round < 5; ++round) {
            auto first = connectRaw(), second = connectRaw();
            QVERIFY(first && second);
            // The login reaches the server first (loopback keeps the order of the two writes); the
            // logout follows while the login's row is, as a rule, still being written.
            first->write(request("/v1/login", loginBody(QStringLiteral("dove-secret-1"))));
            QVERIFY(first->waitForBytesWritten(5000));
            second->write(request("/v1/logout", QJsonObject{}));
            QVERIFY(second->waitForBytesWritten(5000));
            const QByteArray loginAnswer = answerOf(*first);
            QVERIFY(loginAnswer.startsWith("HTTP/1.1 200"));
            QVERIFY(answerOf(*second).startsWith("HTTP/1.1 200"));
            // Both answers are out, so both writes are committed and every monitor decision made.
            const QJsonObject mail = monitorOf(*s.fx, QStringLiteral("mail"), s.fx->admin());
            if (!mail.isEmpty()) {
                // The logout came first: the login is stored and its monitor runs.
                const QString state = mail.value(QStringLiteral("state")).toString();
                QVERIFY2(state == QLatin1String("watching") || state == QLatin1String("starting"), qPrintable(state));
            }
            // Otherwise the logout came last; the next round starts from nothing either way.
            const auto body = QJsonDocument::fromJson(loginAnswer.mid(loginAnswer.indexOf("\r\n\r\n") + 4));
            QVERIFY(body.isObject());
            QVERIFY(body.object().value(QStringLiteral("apps")).toArray().size() == 2);
            QCOMPARE(s.fx->http().post(QStringLiteral("/v1/logout"), QJsonObject{}, s.token).status, 200);
            QVERIFY(monitorOf(*s.fx, QStringLiteral("mail"), s.fx->admin()).isEmpty());
        }
        // And the login still works afterwards.
        const auto reply = s.fx->http().post(QStringLiteral("/v1/login"), loginBody(QStringLiteral("dove-secret-1")), s.token);
        QCOMPARE(appEntry(reply, QStringLiteral("mail")).value(QStringLiteral("state")).toString(), QStringLiteral("watching"));
    }

    void wrongPasswordIsReported()
    {
        DovecotServer dovecot;
        Setup s;
        QString error;
        QVERIFY2(startWithDovecot(dovecot, s, &error), qPrintable(error));
        LiveFeedClient desk;
        QVERIFY(desk.open(s.fx->server(), s.fx->helpdesk(), false));
        const auto reply = s.fx->http().post(QStringLiteral("/v1/login"), loginBody(QStringLiteral("wrong-password")), s.token);
        QCOMPARE(reply.status, 200);
        const QJsonObject mail = appEntry(reply, QStringLiteral("mail"));
        QCOMPARE(mail.value(QStringLiteral("monitoring")).toBool(), false);
        QCOMPARE(mail.value(QStringLiteral("state")).toString(), QStringLiteral("failing"));
        QCOMPARE(mail.value(QStringLiteral("reason")).toString(), QStringLiteral("auth_failed"));
        QVERIFY(!mail.value(QStringLiteral("message")).toString().isEmpty());
        QVERIFY(!reply.body.contains("wrong-password"));
        // The other app of the same login is unaffected.
        QCOMPARE(appEntry(reply, QStringLiteral("chat")).value(QStringLiteral("monitoring")).toBool(), true);
        // Consoles following the live feed saw it start and fail.
        QVERIFY(!desk.waitFor([](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("monitor") &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("starting");
        }).isEmpty());
        const QJsonObject failing = desk.waitFor([](const QJsonObject &o) {
            return o.value(QStringLiteral("type")).toString() == QLatin1String("monitor") &&
                   o.value(QStringLiteral("state")).toString() == QLatin1String("failing");
        });
        QCOMPARE(failing.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(failing.value(QStringLiteral("app")).toString(), QStringLiteral("mail"));
        QVERIFY(!failing.value(QStringLiteral("reason")).toString().isEmpty());

        const QJsonObject listed = monitorOf(*s.fx, QStringLiteral("mail"), s.fx->helpdesk());
        QCOMPARE(listed.value(QStringLiteral("state")).toString(), QStringLiteral("failing"));
        QCOMPARE(listed.value(QStringLiteral("reasonCode")).toString(), QStringLiteral("auth_failed"));
        QVERIFY(!listed.value(QStringLiteral("reason")).toString().isEmpty());
        const auto stats = s.fx->http().get(QStringLiteral("/admin/v1/stats"), s.fx->helpdesk());
        QCOMPARE(stats.json().object().value(QStringLiteral("monitors")).toObject().value(QStringLiteral("failing")).toInt(), 1);
    }

    void unreachableServerIsReported()
    {
        Setup s;
        QVERIFY(start(s, closedPort()));
        const auto reply = s.fx->http().post(QStringLiteral("/v1/login"), loginBody(QStringLiteral("dove-secret-1")), s.token);
        QCOMPARE(reply.status, 200);
        const QJsonObject mail = appEntry(reply, QStringLiteral("mail"));
        QCOMPARE(mail.value(QStringLiteral("monitoring")).toBool(), false);
        QCOMPARE(mail.value(QStringLiteral("state")).toString(), QStringLiteral("failing"));
        QCOMPARE(mail.value(QStringLiteral("reason")).toString(), QStringLiteral("connection_failed"));
        QCOMPARE(monitorOf(*s.fx, QStringLiteral("mail"), s.fx->admin()).value(QStringLiteral("reasonCode")).toString(),
                 QStringLiteral("connection_failed"));
    }

    void monitorListBadInput()
    {
        Setup s;
        QVERIFY(start(s, closedPort()));
        const struct
        {
            QString query;
            int status;
            const char *code;
        } cases[] = {
            {QStringLiteral("?user=nobody"), 404, "not_found"},
            {QStringLiteral("?user=a%20b"), 400, "invalid_value"},
            {QStringLiteral("?user=") + QString(200, QLatin1Char('u')), 400, "invalid_value"},
            {QStringLiteral("?user="), 400, "invalid_value"},
            {QStringLiteral("?limit=0"), 400, "invalid_value"},
            {QStringLiteral("?limit=501"), 400, "invalid_value"},
            {QStringLiteral("?offset=x"), 400, "invalid_value"},
        };
        for (const auto &c : cases) {
            const auto reply = s.fx->http().get(QStringLiteral("/admin/v1/monitors") + c.query, s.fx->helpdesk());
            QVERIFY2(reply.status == c.status, qPrintable(c.query));
            QCOMPARE(reply.errorCode(), QString::fromLatin1(c.code));
        }
        QCOMPARE(s.fx->http().get(QStringLiteral("/admin/v1/monitors"), QString()).status, 401);
        QCOMPARE(s.fx->http().get(QStringLiteral("/admin/v1/monitors"), QString(43, QLatin1Char('A'))).status, 401);
    }
};

QTEST_GUILESS_MAIN(tst_LoginMonitorState)
#include "tst_loginmonitorstate.moc"

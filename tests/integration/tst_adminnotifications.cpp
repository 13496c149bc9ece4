// The outbox in the console (issue 13) against a real herald-server: GET /admin/v1/notifications
// with per-device deliveries, the attempt history, what each app's privacy level lets the console
// show, and the two admin actions — retrying a failed delivery (it goes out again through the
// Dispatcher, here in-band to a real session channel) and cancelling an unfinished one — with the
// audit log, helpdesk refused (403, nothing changed), paging, filters and bad input.
#include "AdminTokens.h"
#include "DeliveryFixture.h"
#include "PromText.h"
#include "SessionChannel.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

using namespace herald;
using namespace herald::test;
using protocol::UiState;

class tst_AdminNotifications : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<DeliveryFixture> m_f;
    AdminTokens m_tokens;
    QString m_droid, m_browser; // device tokens
    QString m_mailId, m_imId, m_chatId;

    HttpsClient &http() { return m_f->http(); }
    QJsonObject get(const QString &path, const QString &token = {})
    {
        const auto reply = http().get(path, token.isEmpty() ? m_tokens.admin : token);
        if (reply.status != 200)
            qWarning() << path << reply.status << reply.body;
        return reply.json().object();
    }
    QJsonObject notification(const QString &id) { return get(QStringLiteral("/admin/v1/notifications/") + id); }
    QJsonObject delivery(const QString &notificationId, const QString &deviceId)
    {
        for (const QJsonValue &v : notification(notificationId).value(QStringLiteral("deliveries")).toArray()) {
            if (v.toObject().value(QStringLiteral("deviceId")).toString() == deviceId)
                return v.toObject();
        }
        return {};
    }
    QStringList idsOf(const QJsonObject &page)
    {
        QStringList ids;
        for (const QJsonValue &v : page.value(QStringLiteral("notifications")).toArray())
            ids << v.toObject().value(QStringLiteral("id")).toString();
        return ids;
    }
    int auditCount(const QString &action, const QString &target)
    {
        int n = 0;
        for (const QJsonValue &v : get(QStringLiteral("/admin/v1/audit?limit=1000")).value(QStringLiteral("entries")).toArray()) {
            const QJsonObject e = v.toObject();
            n += e.value(QStringLiteral("action")).toString() == action &&
                 e.value(QStringLiteral("target")).toString().startsWith(target) &&
                 e.value(QStringLiteral("operator")).toString() == QLatin1String("admin");
        }
        return n;
    }
    HttpsClient::Reply action(const QString &deliveryId, const QString &verb, const QString &token)
    {
        return http().request("POST", QStringLiteral("/admin/v1/deliveries/%1/%2").arg(deliveryId, verb), {}, token);
    }

private Q_SLOTS:
    void initTestCase()
    {
        // A long ack timeout keeps an unacked in-band delivery open for the cancel test; every
        // device of the account gets each notification.
        m_f = std::make_unique<DeliveryFixture>(
            QStringList{QStringLiteral("--ack-timeout-secs"), QStringLiteral("120"), QStringLiteral("--target-policy"),
                        QStringLiteral("all")},
            "[app.mail]\nprivacy = full\n[app.im]\nprivacy = generic\n[metrics]\nenabled = true\n");
        QVERIFY(m_f->start());
        m_tokens = AdminTokens::login(m_f->server(), http());
        QVERIFY(!m_tokens.helpdesk.isEmpty());
        const QStringList apps{QStringLiteral("mail"), QStringLiteral("im"), QStringLiteral("chat")};
        m_droid = m_f->registerDevice(QStringLiteral("droid"), apps);
        QVERIFY(m_f->login(m_droid, apps));
        // No provider serves "web": its pushes fail at once, which is what the retry test needs.
        const QJsonObject web{{QStringLiteral("username"), QStringLiteral("alice")},
                              {QStringLiteral("password"), QString::fromLatin1(DeliveryFixture::Password)},
                              {QStringLiteral("device"), QJsonObject{{QStringLiteral("id"), QStringLiteral("browser")},
                                                                     {QStringLiteral("platform"), QStringLiteral("web")},
                                                                     {QStringLiteral("pushToken"), QStringLiteral("web-push")}}},
                              {QStringLiteral("apps"), QJsonArray{QStringLiteral("mail")}}};
        const auto reg = http().post(QStringLiteral("/v1/register"), web);
        QCOMPARE(reg.status, 201);
        m_browser = reg.json().object().value(QStringLiteral("deviceToken")).toString();
        QCOMPARE(m_f->postEvent(QStringLiteral("n-mail"), &m_mailId, QStringLiteral("mail")), 202);
        QCOMPARE(m_f->postEvent(QStringLiteral("n-im"), &m_imId, QStringLiteral("im")), 202);
        QCOMPARE(m_f->postEvent(QStringLiteral("n-chat"), &m_chatId, QStringLiteral("chat")), 202);
        QTRY_COMPARE(delivery(m_mailId, QStringLiteral("browser")).value(QStringLiteral("state")).toString(),
                     QStringLiteral("failed"));
        QTRY_COMPARE(delivery(m_chatId, QStringLiteral("droid")).value(QStringLiteral("state")).toString(),
                     QStringLiteral("delivered"));
    }

    void listNewestFirstWithDeliveries()
    {
        const QJsonObject page = get(QStringLiteral("/admin/v1/notifications"), m_tokens.helpdesk);
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 3);
        QCOMPARE(page.value(QStringLiteral("offset")).toInt(), 0);
        QCOMPARE(page.value(QStringLiteral("limit")).toInt(), 100);
        QCOMPARE(idsOf(page), (QStringList{m_chatId, m_imId, m_mailId}));
        const QJsonObject mail = page.value(QStringLiteral("notifications")).toArray().at(2).toObject();
        QCOMPARE(mail.value(QStringLiteral("account")).toString(), QStringLiteral("alice"));
        QCOMPARE(mail.value(QStringLiteral("app")).toString(), QStringLiteral("mail"));
        QCOMPARE(mail.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
        QVERIFY(QDateTime::fromString(mail.value(QStringLiteral("createdAt")).toString(), Qt::ISODateWithMs).isValid());
        QVERIFY(!mail.contains(QStringLiteral("attempts"))); // only the detail carries the history
        const QJsonArray deliveries = mail.value(QStringLiteral("deliveries")).toArray();
        QCOMPARE(deliveries.size(), 2);
        for (const QJsonValue &v : deliveries) {
            const QJsonObject d = v.toObject();
            QVERIFY(!d.value(QStringLiteral("id")).toString().isEmpty());
            QVERIFY(d.value(QStringLiteral("nextAttemptAt")).isNull());
            if (d.value(QStringLiteral("deviceId")).toString() == QLatin1String("droid")) {
                QCOMPARE(d.value(QStringLiteral("platform")).toString(), QStringLiteral("android"));
                QCOMPARE(d.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
                QCOMPARE(d.value(QStringLiteral("state")).toString(), QStringLiteral("delivered"));
                QCOMPARE(d.value(QStringLiteral("attempts")).toInt(), 1);
                QVERIFY(d.value(QStringLiteral("lastError")).isNull());
            } else {
                QCOMPARE(d.value(QStringLiteral("deviceId")).toString(), QStringLiteral("browser"));
                QCOMPARE(d.value(QStringLiteral("platform")).toString(), QStringLiteral("web"));
                QVERIFY(d.value(QStringLiteral("channel")).isNull()); // it never went anywhere
                QCOMPARE(d.value(QStringLiteral("state")).toString(), QStringLiteral("failed"));
                QCOMPARE(d.value(QStringLiteral("lastError")).toString(), QStringLiteral("no push provider for web"));
            }
        }
    }

    void privacyLevelsGovernWhatIsShown()
    {
        const QJsonObject mail = notification(m_mailId); // full
        QCOMPARE(mail.value(QStringLiteral("privacy")).toString(), QStringLiteral("full"));
        QCOMPARE(mail.value(QStringLiteral("sender")).toString(), QStringLiteral("Bob"));
        QCOMPARE(mail.value(QStringLiteral("subject")).toString(), QStringLiteral("Quarterly numbers"));
        const QJsonObject chat = notification(m_chatId); // the default, summary
        QCOMPARE(chat.value(QStringLiteral("privacy")).toString(), QStringLiteral("summary"));
        QCOMPARE(chat.value(QStringLiteral("sender")).toString(), QStringLiteral("Bob"));
        QVERIFY(!chat.contains(QStringLiteral("subject")));
        const QJsonObject im = notification(m_imId); // generic
        QCOMPARE(im.value(QStringLiteral("privacy")).toString(), QStringLiteral("generic"));
        QVERIFY(!im.contains(QStringLiteral("sender")));
        QVERIFY(!im.contains(QStringLiteral("subject")));
        // The body is never shown, at any level, nor in the list.
        const QByteArray list = http().get(QStringLiteral("/admin/v1/notifications"), m_tokens.admin).body;
        QVERIFY(!list.contains("attached"));
        QVERIFY(!QJsonDocument(mail).toJson().contains("attached"));
        QCOMPARE(list.count("Quarterly numbers"), 1); // the mail's subject only, not the generic im's
    }

    void attemptHistory()
    {
        const QJsonObject chat = notification(m_chatId);
        const QJsonArray attempts = chat.value(QStringLiteral("attempts")).toArray();
        QCOMPARE(attempts.size(), 1);
        const QJsonObject a = attempts.first().toObject();
        QCOMPARE(a.value(QStringLiteral("deviceId")).toString(), QStringLiteral("droid"));
        QCOMPARE(a.value(QStringLiteral("channel")).toString(), QStringLiteral("push"));
        QCOMPARE(a.value(QStringLiteral("provider")).toString(), QStringLiteral("push.recording"));
        QCOMPARE(a.value(QStringLiteral("outcome")).toString(), QStringLiteral("delivered"));
        QVERIFY(a.value(QStringLiteral("detail")).toString().startsWith(QLatin1String("recording: 200")));
        QCOMPARE(a.value(QStringLiteral("deliveryId")).toString(),
                 chat.value(QStringLiteral("deliveries")).toArray().first().toObject().value(QStringLiteral("id")).toString());
        const QDateTime sent = QDateTime::fromString(a.value(QStringLiteral("sentAt")).toString(), Qt::ISODateWithMs);
        const QDateTime at = QDateTime::fromString(a.value(QStringLiteral("at")).toString(), Qt::ISODateWithMs);
        QVERIFY(sent.isValid() && at.isValid() && sent <= at);
    }

    void filtersAndPaging_data()
    {
        QTest::addColumn<QString>("query");
        QTest::addColumn<QStringList>("ids");
        QTest::newRow("state failed") << QStringLiteral("?state=failed") << QStringList{m_mailId};
        QTest::newRow("state pending") << QStringLiteral("?state=pending") << QStringList{};
        QTest::newRow("state all") << QStringLiteral("?state=all") << QStringList{m_chatId, m_imId, m_mailId};
        QTest::newRow("app im") << QStringLiteral("?app=im") << QStringList{m_imId};
        QTest::newRow("app none such") << QStringLiteral("?app=calendar") << QStringList{};
        QTest::newRow("user") << QStringLiteral("?user=alice&app=chat") << QStringList{m_chatId};
        QTest::newRow("page 2 of 3") << QStringLiteral("?limit=1&offset=1") << QStringList{m_imId};
        QTest::newRow("past the end") << QStringLiteral("?offset=3") << QStringList{};
    }
    void filtersAndPaging()
    {
        QFETCH(QString, query);
        QFETCH(QStringList, ids);
        const QJsonObject page = get(QStringLiteral("/admin/v1/notifications") + query, m_tokens.helpdesk);
        QCOMPARE(idsOf(page), ids);
        if (!query.contains(QLatin1String("offset")))
            QCOMPARE(page.value(QStringLiteral("total")).toInt(), ids.size());
        else
            QCOMPARE(page.value(QStringLiteral("total")).toInt(), 3);
    }

    void helpdeskCannotRetryOrCancel()
    {
        const QString failed = delivery(m_mailId, QStringLiteral("browser")).value(QStringLiteral("id")).toString();
        const QJsonObject before = notification(m_mailId);
        for (const QString &verb : {QStringLiteral("retry"), QStringLiteral("cancel")}) {
            const auto reply = action(failed, verb, m_tokens.helpdesk);
            QCOMPARE(reply.status, 403);
            QCOMPARE(reply.errorCode(), QStringLiteral("forbidden"));
            QCOMPARE(action(failed, verb, QString()).status, 401);
        }
        QCOMPARE(notification(m_mailId), before);
        QCOMPARE(auditCount(QStringLiteral("delivery.retry"), failed), 0);
    }

    void retryAFailedDeliveryGoesOutAgain()
    {
        const QString failed = delivery(m_mailId, QStringLiteral("browser")).value(QStringLiteral("id")).toString();
        // The browser is now open on the mail app: the retry takes the in-band path to it.
        auto session = m_f->openSession(m_browser);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QTRY_VERIFY(http().get(QStringLiteral("/admin/v1/devices?presence=foreground"), m_tokens.admin)
                        .body.contains("\"browser\""));
        const auto reply = action(failed, QStringLiteral("retry"), m_tokens.admin);
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().object().value(QStringLiteral("id")).toString(), m_mailId);
        QTRY_COMPARE(delivered.size(), 1);
        QCOMPARE(delivered.first().first().value<protocol::DeliverFrame>().id, m_mailId);
        QTRY_COMPARE(delivery(m_mailId, QStringLiteral("browser")).value(QStringLiteral("state")).toString(),
                     QStringLiteral("delivered"));
        const QJsonObject d = delivery(m_mailId, QStringLiteral("browser"));
        QCOMPARE(d.value(QStringLiteral("channel")).toString(), QStringLiteral("in-band"));
        QVERIFY(d.value(QStringLiteral("lastError")).isNull());
        QCOMPARE(auditCount(QStringLiteral("delivery.retry"), failed), 1);
        // Only a failed delivery is retried.
        const auto again = action(failed, QStringLiteral("retry"), m_tokens.admin);
        QCOMPARE(again.status, 409);
        QCOMPARE(again.errorCode(), QStringLiteral("conflict"));
        QCOMPARE(auditCount(QStringLiteral("delivery.retry"), failed), 1);
    }

    void cancelAnUnfinishedDelivery()
    {
        // The droid shows mail but never acks: its delivery stays in-band, unfinished.
        auto session = m_f->openSession(m_droid, false);
        QVERIFY(session);
        QSignalSpy delivered(session.get(), &SessionChannel::delivered);
        QVERIFY(session->setState(QStringLiteral("mail"), UiState::Foreground));
        QTRY_VERIFY(http().get(QStringLiteral("/admin/v1/devices?presence=foreground&q=droid"), m_tokens.admin)
                        .body.contains("\"droid\""));
        QString id;
        QCOMPARE(m_f->postEvent(QStringLiteral("n-open"), &id, QStringLiteral("mail")), 202);
        QTRY_COMPARE(delivered.size(), 1);
        QTRY_COMPARE(idsOf(get(QStringLiteral("/admin/v1/notifications?state=pending"))), QStringList{id});
        const QJsonObject open = delivery(id, QStringLiteral("droid"));
        QCOMPARE(open.value(QStringLiteral("state")).toString(), QStringLiteral("inband"));
        QCOMPARE(open.value(QStringLiteral("channel")).toString(), QStringLiteral("in-band"));
        const QString deliveryId = open.value(QStringLiteral("id")).toString();

        QCOMPARE(action(deliveryId, QStringLiteral("cancel"), m_tokens.helpdesk).status, 403);
        QCOMPARE(delivery(id, QStringLiteral("droid")), open);
        const auto reply = action(deliveryId, QStringLiteral("cancel"), m_tokens.admin);
        QCOMPARE(reply.status, 200);
        QJsonObject cancelled;
        for (const QJsonValue &v : reply.json().object().value(QStringLiteral("deliveries")).toArray())
            if (v.toObject().value(QStringLiteral("id")).toString() == deliveryId)
                cancelled = v.toObject();
        QCOMPARE(cancelled.value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(cancelled.value(QStringLiteral("lastError")).toString(), QStringLiteral("cancelled by operator admin"));
        QCOMPARE(auditCount(QStringLiteral("delivery.cancel"), deliveryId), 1);
        QCOMPARE(idsOf(get(QStringLiteral("/admin/v1/notifications?state=pending"))), QStringList());
        // Counted as a delivery that ended, like any other (it used to be missing from the metrics).
        PromText metrics;
        QVERIFY(metrics.parse(http().get(QStringLiteral("/metrics")).body));
        QCOMPARE(metrics.value(QStringLiteral("herald_deliveries_total"),
                               {{QStringLiteral("channel"), QStringLiteral("inband")}, {QStringLiteral("state"), QStringLiteral("cancelled")}}),
                 1.0);
        // A late ack changes nothing, and a finished delivery is not cancelled twice.
        QVERIFY(session->ack(id));
        QCOMPARE(action(deliveryId, QStringLiteral("cancel"), m_tokens.admin).status, 409);
        QCOMPARE(delivery(id, QStringLiteral("droid")).value(QStringLiteral("state")).toString(), QStringLiteral("cancelled"));
        QCOMPARE(auditCount(QStringLiteral("delivery.cancel"), deliveryId), 1);
        // Nor is a delivered one.
        const QString done = delivery(m_chatId, QStringLiteral("droid")).value(QStringLiteral("id")).toString();
        QCOMPARE(action(done, QStringLiteral("cancel"), m_tokens.admin).status, 409);
    }

    void badInput_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("code");
        const QString list = QStringLiteral("/admin/v1/notifications");
        QTest::newRow("state unknown") << QByteArray("GET") << list + QStringLiteral("?state=read") << 400 << "invalid_value";
        QTest::newRow("state empty") << QByteArray("GET") << list + QStringLiteral("?state=") << 400 << "invalid_value";
        QTest::newRow("limit 0") << QByteArray("GET") << list + QStringLiteral("?limit=0") << 400 << "invalid_value";
        QTest::newRow("limit 501") << QByteArray("GET") << list + QStringLiteral("?limit=501") << 400 << "invalid_value";
        QTest::newRow("offset -1") << QByteArray("GET") << list + QStringLiteral("?offset=-1") << 400 << "invalid_value";
        QTest::newRow("offset word") << QByteArray("GET") << list + QStringLiteral("?offset=x") << 400 << "invalid_value";
        QTest::newRow("unknown filter") << QByteArray("GET") << list + QStringLiteral("?sender=bob") << 400 << "invalid_value";
        QTest::newRow("app invalid") << QByteArray("GET") << list + QStringLiteral("?app=Mail%21") << 400 << "invalid_value";
        QTest::newRow("app too long") << QByteArray("GET") << list + QStringLiteral("?app=") + QString(65, QLatin1Char('a'))
                                      << 400 << "invalid_value";
        QTest::newRow("user invalid") << QByteArray("GET") << list + QStringLiteral("?user=%3Cx%3E") << 400 << "invalid_value";
        QTest::newRow("user unknown") << QByteArray("GET") << list + QStringLiteral("?user=nobody") << 404 << "not_found";
        QTest::newRow("detail unknown") << QByteArray("GET") << list + QStringLiteral("/no-such-id") << 404 << "not_found";
        QTest::newRow("detail too long") << QByteArray("GET") << list + QStringLiteral("/") + QString(129, QLatin1Char('n'))
                                         << 400 << "invalid_value";
        QTest::newRow("retry unknown") << QByteArray("POST") << QStringLiteral("/admin/v1/deliveries/nope/retry") << 404 << "not_found";
        QTest::newRow("cancel unknown") << QByteArray("POST") << QStringLiteral("/admin/v1/deliveries/nope/cancel") << 404 << "not_found";
        QTest::newRow("retry too long") << QByteArray("POST") << QStringLiteral("/admin/v1/deliveries/%1/retry").arg(QString(129, QLatin1Char('d')))
                                        << 400 << "invalid_value";
        QTest::newRow("cancel too long") << QByteArray("POST") << QStringLiteral("/admin/v1/deliveries/%1/cancel").arg(QString(129, QLatin1Char('d')))
                                         << 400 << "invalid_value";
    }
    void badInput()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(int, status);
        QFETCH(QString, code);
        const auto reply = http().request(method, path, {}, m_tokens.admin);
        QCOMPARE(reply.status, status);
        QCOMPARE(reply.errorCode(), code);
        QVERIFY(!reply.json().object().value(QStringLiteral("message")).toString().isEmpty());
    }
};

QTEST_MAIN(tst_AdminNotifications)
#include "tst_adminnotifications.moc"

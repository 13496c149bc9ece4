// Nodes of a cluster killed with SIGKILL at random under a steady stream of events (issue 19),
// against PostgreSQL and a real Dovecot. Three nodes share one database; events are posted to
// whichever nodes are up (a post that fails is sent again, same eventId, to another node, as an
// integration would); mail arrives in a watched mailbox all along. While the stream runs, one
// node at a time is killed and restarted after a random pause, some shorter and some longer
// than the node timeout, so that both a restart and a takeover by the others pick its work up.
//
// Then: every accepted event reached every device (in-band on the session that had the app in
// the foreground, or as a push); a device pushed one notification twice only under the same
// collapse id (a node killed between the provider's answer and its commit); every mail was
// reported as one notification, however often its monitor moved. HERALD_CRASH_SECONDS (20) sets
// the length of the stream, HERALD_CRASH_SEED the random kills (printed, to repeat a run).
#include "DeliveryFixture.h"
#include "DovecotServer.h"
#include "TestDatabase.h"

#include "SessionChannel.h"
#include "storage/RecordStates.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSet>
#include <QSignalSpy>
#include <QTimer>
#include <QtTest>

#include <array>

using namespace herald;
using namespace herald::test;
using protocol::UiState;

namespace {

constexpr int Nodes = 3;
constexpr int TimeoutSecs = 3;
const QStringList Phones{QStringLiteral("phone1"), QStringLiteral("phone2"), QStringLiteral("phone3")};
const QString Desk = QStringLiteral("desk"); // holds a session with "mail" in the foreground
const QStringList Apps{QStringLiteral("mail"), QStringLiteral("inbox")};

QByteArray config(quint16 imapPort)
{
    return QStringLiteral("[dispatch]\ngroup_window_secs = 0\ntarget_policy = all\n"
                          "[imap.box]\nhost = 127.0.0.1\nport = %1\nsecurity = plain\n"
                          "[app.inbox]\nmonitor = imap.box\nprivacy = summary\n")
        .arg(imapPort)
        .toUtf8();
}

int envInt(const char *name, int fallback)
{
    bool ok = false;
    const int v = qEnvironmentVariableIntValue(name, &ok);
    return ok && v > 0 ? v : fallback;
}

} // namespace

class tst_ClusterCrash : public QObject
{
    Q_OBJECT

    DovecotServer m_dovecot;
    std::array<std::unique_ptr<DeliveryFixture>, Nodes> m_nodes;
    std::array<bool, Nodes> m_up{};
    QStringList m_args;

    std::unique_ptr<SessionChannel> m_desk;
    int m_deskNode = -1;
    QString m_deskToken;
    QSet<QString> m_inBand; // notification ids the desk's sessions received

    QList<QJsonObject> allPushes() const
    {
        QList<QJsonObject> all;
        for (const auto &node : m_nodes)
            all += node->pushes();
        return all;
    }

    int upNode(QRandomGenerator &rng, int avoid = -1) const
    {
        QList<int> up;
        for (int i = 0; i < Nodes; ++i)
            if (m_up[i] && i != avoid)
                up.append(i);
        return up.isEmpty() ? -1 : up.at(int(rng.bounded(up.size())));
    }

    // The desk's session on node `i`, "mail" in the foreground, published to the other nodes.
    bool openDesk(int i)
    {
        m_desk.reset();
        m_desk = m_nodes[i]->openSession(m_deskToken);
        if (!m_desk)
            return false;
        m_deskNode = i;
        connect(m_desk.get(), &SessionChannel::delivered, this,
                [this](const protocol::DeliverFrame &frame) { m_inBand.insert(frame.id); });
        return m_desk->setState(QStringLiteral("mail"), UiState::Foreground) && DeliveryFixture::caughtUp(*m_desk);
    }

    // Posts until a node accepts it; the same eventId each time, so a post whose answer was lost
    // cannot make a second notification. Returns the notification id.
    QString postSomewhere(const QString &eventId, QRandomGenerator &rng)
    {
        for (int attempt = 0; attempt < 20; ++attempt) {
            const int i = upNode(rng);
            if (i < 0)
                return {};
            QString id;
            const int status = m_nodes[i]->postEvent(eventId, &id);
            if ((status == 202 || status == 200) && !id.isEmpty()) // 200: it was there already
                return id;
            qInfo() << "event" << eventId << "on node" << i + 1 << "got" << status << "- sending it elsewhere";
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (!TestDatabase::isPostgres())
            QSKIP("a cluster needs PostgreSQL (run as tst_clustercrash.postgresql)");
        if (DovecotServer::dovecotBinary().isEmpty())
            QFAIL("dovecot is not installed (.ci/run installs dovecot-imapd)");
        m_dovecot.addUser(QStringLiteral("alice"), QStringLiteral("imap-secret"));
        QString error;
        QVERIFY2(m_dovecot.start(&error), qPrintable(error));

        m_args = {QStringLiteral("--node-heartbeat-secs"), QStringLiteral("1"), QStringLiteral("--node-timeout-secs"),
                  QString::number(TimeoutSecs)};
        m_nodes[0] = std::make_unique<DeliveryFixture>(m_args, config(m_dovecot.imapPort()));
        QVERIFY(m_nodes[0]->start());
        const QStringList sharedKey{QStringLiteral("--credential-key-file"),
                                    m_nodes[0]->server().dataDir() + QStringLiteral("/credentials.key")};
        for (int i = 1; i < Nodes; ++i) {
            m_nodes[i] = DeliveryFixture::joining(*m_nodes[0], m_args + sharedKey, config(m_dovecot.imapPort()));
            QVERIFY(m_nodes[i]->start());
        }
        m_up.fill(true);
    }

    void everyAcceptedEventIsDeliveredThroughRandomKills()
    {
        const quint32 seed = quint32(envInt("HERALD_CRASH_SEED", int(QRandomGenerator::global()->bounded(1 << 30))));
        const int seconds = envInt("HERALD_CRASH_SECONDS", 20);
        qInfo() << "HERALD_CRASH_SEED=" << seed << "HERALD_CRASH_SECONDS=" << seconds;
        QRandomGenerator rng(seed);

        for (const QString &phone : Phones + QStringList{Desk}) {
            const QString token = m_nodes[0]->registerDevice(phone, Apps);
            QVERIFY(!token.isEmpty());
            QVERIFY(m_nodes[1]->login(token, {QStringLiteral("mail")}));
            if (phone == Desk)
                m_deskToken = token;
        }
        // The mailbox login: stored on node 3, watched by whichever node holds its lease.
        const QJsonArray inbox{QJsonObject{
            {QStringLiteral("app"), QStringLiteral("inbox")},
            {QStringLiteral("credentials"), QJsonObject{{QStringLiteral("username"), QStringLiteral("alice")},
                                                        {QStringLiteral("password"), QStringLiteral("imap-secret")}}}}};
        QCOMPARE(m_nodes[2]->http().post(QStringLiteral("/v1/login"), QJsonObject{{QStringLiteral("apps"), inbox}},
                                         m_deskToken).status,
                 200);
        QVERIFY(openDesk(2));

        // The stream: an event every 20 ms (as fast as the nodes answer when that is slower), a
        // mail every ~700 ms, a kill every 2-4 s.
        QTimer pace;
        pace.start(20);
        QSignalSpy tick(&pace, &QTimer::timeout);
        QStringList accepted;
        QStringList mails;
        int kills = 0, takeovers = 0;
        int dead = -1;
        qint64 nextKill = 1000 + rng.bounded(2000), restartAt = 0, nextMail = 300;
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < seconds * 1000 || dead >= 0) {
            const qint64 now = clock.elapsed();
            if (dead < 0 && now >= nextKill && now < seconds * 1000) {
                dead = int(rng.bounded(Nodes));
                m_nodes[dead]->server().kill();
                m_up[dead] = false;
                // Half of the pauses outlast the node timeout: the others take its work over.
                const int pause = 500 + int(rng.bounded(2 * TimeoutSecs * 1000));
                takeovers += pause > TimeoutSecs * 1000 ? 1 : 0;
                restartAt = now + pause;
                ++kills;
                qInfo() << "killed node" << dead + 1 << "at" << now << "ms, back in" << pause << "ms";
                if (dead == m_deskNode)
                    QVERIFY(openDesk(upNode(rng)));
            }
            if (dead >= 0 && now >= restartAt) {
                QVERIFY(m_nodes[dead]->restart());
                m_up[dead] = true;
                dead = -1;
                nextKill = clock.elapsed() + 2000 + rng.bounded(2000);
            }
            if (now >= nextMail && now < seconds * 1000) {
                const QString sender = QStringLiteral("Sender %1").arg(mails.size() + 1);
                QString error;
                QVERIFY2(m_dovecot.deliver(QStringLiteral("alice"),
                                           DovecotServer::makeMessage(sender, QStringLiteral("s@example.com"),
                                                                      QStringLiteral("Note")),
                                           &error),
                         qPrintable(error));
                mails.append(QStringLiteral(" from ") + sender); // ends the push's text
                nextMail = now + 700;
            }
            if (tick.isEmpty())
                QVERIFY(tick.wait(1000));
            tick.clear();
            const QString id = postSomewhere(QStringLiteral("crash-%1").arg(accepted.size() + 1), rng);
            QVERIFY2(!id.isEmpty(), "no node accepted an event");
            accepted.append(id);
        }
        qInfo() << accepted.size() << "events accepted and" << mails.size() << "mails sent in" << clock.elapsed()
                << "ms;" << kills << "kills," << takeovers << "of them past the node timeout";

        // Every event reaches every device: the phones by push, the desk in-band or by push.
        const auto missing = [&](QStringList *what) {
            QHash<QString, QSet<QString>> pushed; // token -> nids
            for (const QJsonObject &push : allPushes())
                pushed[push.value(QStringLiteral("token")).toString()].insert(push.value(QStringLiteral("nid")).toString());
            what->clear();
            for (const QString &id : std::as_const(accepted)) {
                for (const QString &phone : Phones)
                    if (!pushed.value(QStringLiteral("push-") + phone).contains(id))
                        what->append(phone + QLatin1Char(':') + id);
                if (!m_inBand.contains(id) && !pushed.value(QStringLiteral("push-") + Desk).contains(id))
                    what->append(Desk + QLatin1Char(':') + id);
            }
            return what->size();
        };
        QStringList notYet;
        const bool allThere = QTest::qWaitFor([&] { return missing(&notYet) == 0; }, 90000);
        QVERIFY2(allThere, qPrintable(QStringLiteral("%1 not delivered, e.g. ").arg(notYet.size()) +
                                      notYet.mid(0, 10).join(QLatin1Char(' '))));

        // Every mail is one notification, pushed to each of the four devices (no app in the foreground).
        QHash<QString, QSet<QString>> nidsOfMail;
        const auto mailPushes = [&] {
            nidsOfMail.clear();
            int n = 0;
            for (const QJsonObject &push : allPushes())
                for (const QString &mail : std::as_const(mails))
                    if (push.value(QStringLiteral("body")).toString().endsWith(mail)) {
                        nidsOfMail[mail].insert(push.value(QStringLiteral("nid")).toString());
                        ++n;
                    }
            return nidsOfMail.size();
        };
        QVERIFY2(QTest::qWaitFor([&] { return mailPushes() == mails.size(); }, 60000),
                 qPrintable(QStringLiteral("%1 of %2 mails reported").arg(nidsOfMail.size()).arg(mails.size())));
        for (const QString &mail : std::as_const(mails))
            QVERIFY2(nidsOfMail.value(mail).size() == 1, qPrintable(mail + QStringLiteral(" reported more than once")));

        // A notification pushed to one device more than once: only again under its collapse id.
        QHash<QString, QStringList> collapseIds; // token + nid -> collapse ids of its pushes
        for (const QJsonObject &push : allPushes())
            collapseIds[push.value(QStringLiteral("token")).toString() + push.value(QStringLiteral("nid")).toString()]
                .append(push.value(QStringLiteral("collapseId")).toString());
        int resent = 0;
        for (auto it = collapseIds.cbegin(); it != collapseIds.cend(); ++it) {
            if (it.value().size() < 2)
                continue;
            ++resent;
            QVERIFY2(!it.value().first().isEmpty() && it.value().count(it.value().first()) == it.value().size(),
                     qPrintable(it.key() + QStringLiteral(": ") + it.value().join(QLatin1Char(','))));
        }
        qInfo() << resent << "pushes resent under their collapse id," << m_inBand.size() << "events in-band";

        // And the outbox agrees: every delivery ends delivered. One whose deliver frame went out
        // on a session that then moved waits for its ack until the ack timeout, then is pushed.
        QString error;
        const auto storage = TestDatabase::open(m_nodes[0]->server().databaseDir(), &error);
        QVERIFY2(storage, qPrintable(error));
        int checked = 0;
        QString open;
        const auto allFinal = [&] {
            for (; checked < accepted.size(); ++checked) {
                const auto rows = storage->deliveriesOfNotification(accepted.at(checked));
                if (!rows || rows->size() != Phones.size() + 1) {
                    open = accepted.at(checked) + QStringLiteral(": ") + QString::number(rows ? rows->size() : -1);
                    return false;
                }
                for (const DeliveryRecord &d : *rows)
                    if (d.state != DeliveryState::Delivered) {
                        open = accepted.at(checked) + QLatin1Char(' ') + toText(d.state);
                        return false;
                    }
            }
            return true;
        };
        QVERIFY2(QTest::qWaitFor(allFinal, 60000), qPrintable(open));
    }

    void cleanupTestCase()
    {
        m_desk.reset();
        for (auto &node : m_nodes)
            node.reset();
        m_dovecot.stop();
    }
};

QTEST_MAIN(tst_ClusterCrash)
#include "tst_clustercrash.moc"

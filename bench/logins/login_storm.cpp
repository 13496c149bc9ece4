// login_storm: the load generator of bench/logins (see bench/README.md, "Login storm").
//
//   login_storm receivers --port P --ca CERT --prefix recv --count N --password PW --out FILE
//       registers and logs in one device for each of the accounts recv0..recvN-1 (one at a time),
//       writes "account<TAB>deviceToken" lines.
//   login_storm events --port P --ca CERT --tokens FILE --source-token T --rate R --secs S
//       opens a session for every device in FILE (hello, state mail foreground), then posts R
//       events a second for S seconds, round-robin over the accounts, and measures event sent →
//       `deliver` frame received. Prints one summary line.
//   login_storm storm --port P --ca CERT --prefix storm --accounts A --per-account D --password PW
//             --secs S --from 127.0.0.10 --addresses K
//       A×D registrations, each followed by a login with the token it got, spread evenly over S
//       seconds, each on a new TLS connection from one of K loopback source addresses. Every
//       answer is counted by status; a 429 or 503 must carry Retry-After, and the client waits
//       that long and tries again (at most 5 attempts). Prints one summary line.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QTextStream>
#include <QTimer>
#include <QWebSocket>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>

namespace {

QElapsedTimer g_clock;

double nowMs()
{
    return double(g_clock.nsecsElapsed()) / 1e6;
}

QSslConfiguration tlsTrusting(const QString &caFile)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromPath(caFile));
    return tls;
}

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
    return v[i];
}

// One request on a fresh TLS connection from a chosen source address; `done` gets the status
// (0: no answer), the Retry-After header and the body.
class OneShot : public QObject
{
public:
    using Done = std::function<void(int status, const QByteArray &retryAfter, const QByteArray &body)>;

    OneShot(const QSslConfiguration &tls, quint16 port, const QHostAddress &from, const QByteArray &request, Done done)
        : m_request(request)
        , m_done(std::move(done))
    {
        m_socket.setSslConfiguration(tls);
        connect(&m_socket, &QSslSocket::encrypted, this, [this] { m_socket.write(m_request); });
        connect(&m_socket, &QSslSocket::readyRead, this, [this] { m_in += m_socket.readAll(); });
        connect(&m_socket, &QSslSocket::disconnected, this, &OneShot::finish);
        connect(&m_socket, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError e) {
            if (e != QAbstractSocket::RemoteHostClosedError)
                finish();
        });
        QTimer::singleShot(30'000, this, &OneShot::finish);
        m_socket.bind(from);
        m_socket.connectToHostEncrypted(QStringLiteral("127.0.0.1"), port);
    }

private:
    void finish()
    {
        if (m_finished)
            return;
        m_finished = true;
        m_in += m_socket.readAll();
        int status = 0;
        QByteArray retryAfter, body;
        const int end = m_in.indexOf("\r\n\r\n");
        if (end > 0) {
            const QList<QByteArray> lines = m_in.left(end).split('\n');
            status = lines.first().split(' ').value(1).toInt();
            for (const QByteArray &line : lines) {
                if (line.toLower().startsWith("retry-after:"))
                    retryAfter = line.mid(12).trimmed();
            }
            body = m_in.mid(end + 4);
        }
        m_socket.abort();
        m_done(status, retryAfter, body);
        deleteLater();
    }

    QSslSocket m_socket;
    QByteArray m_request;
    QByteArray m_in;
    Done m_done;
    bool m_finished = false;
};

QByteArray httpRequest(const QByteArray &method, const QByteArray &path, const QByteArray &body, const QByteArray &bearer = {})
{
    QByteArray r = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!bearer.isEmpty())
        r += "Authorization: Bearer " + bearer + "\r\n";
    r += "Content-Type: application/json\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return r;
}

QByteArray registerBody(const QString &user, const QString &password, const QString &deviceId)
{
    return QJsonDocument(QJsonObject{{"username", user},
                                     {"password", password},
                                     {"device", QJsonObject{{"id", deviceId}, {"platform", "desktop"}}},
                                     {"apps", QJsonArray{"mail"}}})
        .toJson(QJsonDocument::Compact);
}

const QByteArray LoginBody = R"({"apps":[{"app":"mail"}]})";

// --- receivers -------------------------------------------------------------------------------

int receivers(const QCommandLineParser &a)
{
    const QSslConfiguration tls = tlsTrusting(a.value("ca"));
    const quint16 port = quint16(a.value("port").toUInt());
    const int count = a.value("count").toInt();
    const QString prefix = a.value("prefix"), password = a.value("password");
    auto out = std::make_shared<QFile>(a.value("out"));
    if (!out->open(QIODevice::WriteOnly))
        return 2;
    auto next = std::make_shared<std::function<void(int)>>();
    *next = [=](int i) {
        if (i == count) {
            out->close();
            QCoreApplication::exit(0);
            return;
        }
        const QString account = prefix + QString::number(i);
        new OneShot(tls, port, QHostAddress::LocalHost,
                    httpRequest("POST", "/v1/register", registerBody(account, password, account + "-dev")),
                    [=](int status, const QByteArray &, const QByteArray &body) {
                        const QByteArray token = QJsonDocument::fromJson(body)["deviceToken"].toString().toLatin1();
                        if (status != 201 || token.isEmpty()) {
                            std::fprintf(stderr, "register %s: %d %s\n", qPrintable(account), status, body.constData());
                            QCoreApplication::exit(1);
                            return;
                        }
                        new OneShot(tls, port, QHostAddress::LocalHost, httpRequest("POST", "/v1/login", LoginBody, token),
                                    [=](int s, const QByteArray &, const QByteArray &b) {
                                        if (s != 200) {
                                            std::fprintf(stderr, "login %s: %d %s\n", qPrintable(account), s, b.constData());
                                            QCoreApplication::exit(1);
                                            return;
                                        }
                                        out->write(account.toUtf8() + '\t' + token + '\n');
                                        (*next)(i + 1);
                                    });
                    });
    };
    (*next)(0);
    return QCoreApplication::exec();
}

// --- events ----------------------------------------------------------------------------------

class EventRun : public QObject
{
public:
    EventRun(const QCommandLineParser &a)
        : m_tls(tlsTrusting(a.value("ca")))
        , m_port(quint16(a.value("port").toUInt()))
        , m_sourceToken(a.value("source-token").toLatin1())
        , m_rate(a.value("rate").toInt())
        , m_secs(a.value("secs").toInt())
        , m_label(a.value("label"))
    {
        QFile file(a.value("tokens"));
        if (!file.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(a.value("tokens")));
        for (const QByteArray &line : file.readAll().split('\n')) {
            const QList<QByteArray> parts = line.trimmed().split('\t');
            if (parts.size() == 2)
                m_devices.append({QString::fromUtf8(parts[0]), parts[1]});
        }
        // Several managers: one HTTP/1.1 manager keeps at most 6 connections to a host.
        for (int i = 0; i < 4; ++i)
            m_nams.push_back(std::make_unique<QNetworkAccessManager>());
    }

    void start()
    {
        for (const auto &d : std::as_const(m_devices)) {
            auto *ws = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
            ws->setSslConfiguration(m_tls);
            connect(ws, &QWebSocket::connected, this, [ws] {
                ws->sendTextMessage(R"({"type":"hello","protocol":1,"features":["ack","clear"]})");
            });
            connect(ws, &QWebSocket::textMessageReceived, this, [this, ws](const QString &text) { onFrame(ws, text); });
            QNetworkRequest request(QUrl(QStringLiteral("wss://127.0.0.1:%1/v1/session").arg(m_port)));
            request.setRawHeader("Authorization", "Bearer " + d.second);
            ws->open(request);
            m_sockets.append(ws);
        }
        auto *wait = new QTimer(this);
        connect(wait, &QTimer::timeout, this, [this, wait] {
            if (m_ready < m_devices.size() && nowMs() - m_startedAt < 30'000)
                return;
            wait->stop();
            if (m_ready < m_devices.size())
                std::fprintf(stderr, "only %d of %d sessions ready\n", m_ready, int(m_devices.size()));
            sendEvents();
        });
        m_startedAt = nowMs();
        wait->start(50);
    }

private:
    void onFrame(QWebSocket *ws, const QString &text)
    {
        const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
        const QString type = frame.value("type").toString();
        if (type == QLatin1String("welcome")) {
            ws->sendTextMessage(R"({"type":"state","app":"mail","ui":"foreground"})");
            ++m_ready;
            auto *ping = new QTimer(ws); // keep the session alive whatever the heartbeat
            connect(ping, &QTimer::timeout, ws, [ws] { ws->sendTextMessage(R"({"type":"ping"})"); });
            ping->start(10'000);
        } else if (type == QLatin1String("deliver")) {
            const QString id = frame.value("id").toString();
            ws->sendTextMessage(QJsonDocument(QJsonObject{{"type", "ack"}, {"id", id}}).toJson(QJsonDocument::Compact));
            const double at = nowMs();
            auto sent = m_sentById.find(id);
            if (sent != m_sentById.end()) {
                m_latencies.push_back(at - sent->second);
                m_sentById.erase(sent);
            } else {
                m_deliveredEarly.emplace(id, at); // the deliver frame beat the 202
            }
        }
    }

    void sendEvents()
    {
        m_firstSend = nowMs();
        auto *tick = new QTimer(this);
        tick->setTimerType(Qt::PreciseTimer);
        connect(tick, &QTimer::timeout, this, [this, tick] {
            // Catch up to where the schedule says we should be: rate × elapsed.
            const double elapsed = nowMs() - m_firstSend;
            const int due = std::min(m_rate * m_secs, int(elapsed * m_rate / 1000.0));
            while (m_sent < due)
                sendOne(m_sent++);
            if (m_sent >= m_rate * m_secs) {
                tick->stop();
                QTimer::singleShot(5'000, this, &EventRun::report);
            }
        });
        tick->start(2);
    }

    void sendOne(int seq)
    {
        const QString account = m_devices.at(seq % m_devices.size()).first;
        const QByteArray body = QJsonDocument(QJsonObject{{"account", account},
                                                          {"app", "mail"},
                                                          {"eventId", QStringLiteral("%1-%2").arg(m_label).arg(seq)},
                                                          {"sender", "bench"},
                                                          {"subject", "storm"}})
                                    .toJson(QJsonDocument::Compact);
        QNetworkRequest request(QUrl(QStringLiteral("https://127.0.0.1:%1/v1/events").arg(m_port)));
        request.setSslConfiguration(m_tls);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        request.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        request.setRawHeader("Authorization", "Bearer " + m_sourceToken);
        const double sentAt = nowMs();
        QNetworkReply *reply = m_nams[size_t(seq) % m_nams.size()]->post(request, body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, sentAt] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            ++m_answers[status];
            if (status != 202)
                return;
            const QString id = QJsonDocument::fromJson(reply->readAll())["id"].toString();
            auto early = m_deliveredEarly.find(id);
            if (early != m_deliveredEarly.end()) {
                m_latencies.push_back(early->second - sentAt);
                m_deliveredEarly.erase(early);
            } else {
                m_sentById.emplace(id, sentAt);
            }
        });
    }

    void report()
    {
        QString answers;
        for (auto it = m_answers.cbegin(); it != m_answers.cend(); ++it)
            answers += QStringLiteral(" %1:%2").arg(it.key()).arg(it.value());
        std::printf("events[%s]: sessions %d/%d, sent %d in %.1f s (%.0f/s), delivered in-band %zu, not delivered %zu, "
                    "answers%s, event->deliver p50 %.1f ms p99 %.1f ms max %.1f ms\n",
                    qPrintable(m_label), m_ready, int(m_devices.size()), m_sent, double(m_secs),
                    m_sent / double(std::max(1, m_secs)), m_latencies.size(), m_sentById.size(), qPrintable(answers),
                    percentile(m_latencies, 0.5), percentile(m_latencies, 0.99),
                    m_latencies.empty() ? 0.0 : *std::max_element(m_latencies.begin(), m_latencies.end()));
        std::fflush(stdout);
        QCoreApplication::exit(m_latencies.empty() ? 1 : 0);
    }

    QSslConfiguration m_tls;
    quint16 m_port;
    QByteArray m_sourceToken;
    int m_rate;
    int m_secs;
    QString m_label;
    QList<QPair<QString, QByteArray>> m_devices;
    QList<QWebSocket *> m_sockets;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_nams;
    int m_ready = 0;
    double m_startedAt = 0;
    double m_firstSend = 0;
    int m_sent = 0;
    std::map<QString, double> m_sentById;
    std::map<QString, double> m_deliveredEarly;
    std::vector<double> m_latencies;
    QMap<int, int> m_answers;
};

// --- storm -----------------------------------------------------------------------------------

class Storm : public QObject
{
public:
    explicit Storm(const QCommandLineParser &a)
        : m_tls(tlsTrusting(a.value("ca")))
        , m_port(quint16(a.value("port").toUInt()))
        , m_prefix(a.value("prefix"))
        , m_password(a.value("password"))
        , m_accounts(a.value("accounts").toInt())
        , m_perAccount(a.value("per-account").toInt())
        , m_secs(a.value("secs").toInt())
        , m_from(QHostAddress(a.value("from")).toIPv4Address())
        , m_addresses(a.value("addresses").toInt())
    {
    }

    void start()
    {
        m_total = m_accounts * m_perAccount;
        m_t0 = nowMs();
        auto *tick = new QTimer(this);
        tick->setTimerType(Qt::PreciseTimer);
        connect(tick, &QTimer::timeout, this, [this, tick] {
            const int due = std::min(m_total, int((nowMs() - m_t0) * m_total / (m_secs * 1000.0)));
            while (m_started < due) {
                const int i = m_started++;
                attemptRegister(i, 1);
            }
            if (m_started >= m_total)
                tick->stop();
        });
        tick->start(5);
        // Bounded whatever happens: retries wait at most 5 × Retry-After.
        QTimer::singleShot((m_secs + 180) * 1000, this, [this] {
            std::fprintf(stderr, "storm: gave up waiting for %d answers\n", m_total - m_settled - m_gaveUp);
            m_failed += m_total - m_settled - m_gaveUp;
            report();
        });
    }

private:
    QHostAddress addressOf(int i) const { return QHostAddress(m_from + quint32(i % m_addresses)); }

    // A refusal's Retry-After must be there; the client honours it, at most 5 attempts.
    bool refusedAndRetry(int status, const QByteArray &retryAfter, int attempt, const std::function<void()> &again)
    {
        if (status != 429 && status != 503)
            return false;
        bool ok = false;
        const int secs = retryAfter.toInt(&ok);
        if (!ok || secs < 1)
            ++m_refusedWithoutRetryAfter;
        if (attempt < 5) {
            QTimer::singleShot(std::max(1, secs) * 1000, this, again);
        } else {
            ++m_gaveUp;
            maybeReport();
        }
        return true;
    }

    void attemptRegister(int i, int attempt)
    {
        const QString account = m_prefix + QString::number(i / m_perAccount);
        const QString deviceId = m_prefix + QStringLiteral("-dev-%1").arg(i);
        new OneShot(m_tls, m_port, addressOf(i),
                    httpRequest("POST", "/v1/register", registerBody(account, m_password, deviceId)),
                    [=](int status, const QByteArray &retryAfter, const QByteArray &body) {
                        ++m_register[status];
                        if (refusedAndRetry(status, retryAfter, attempt, [=] { attemptRegister(i, attempt + 1); }))
                            return;
                        if (status != 201) {
                            if (++m_failed <= 20) // the first few; the summary counts them all
                                std::fprintf(stderr, "register %s: %d %s\n", qPrintable(deviceId), status,
                                             body.left(200).constData());
                            settle();
                            return;
                        }
                        ++m_registered;
                        m_lastRegisteredAt = nowMs();
                        attemptLogin(i, QJsonDocument::fromJson(body)["deviceToken"].toString().toLatin1(), 1);
                    });
    }

    void attemptLogin(int i, const QByteArray &token, int attempt)
    {
        new OneShot(m_tls, m_port, addressOf(i), httpRequest("POST", "/v1/login", LoginBody, token),
                    [=](int status, const QByteArray &retryAfter, const QByteArray &body) {
                        ++m_login[status];
                        if (refusedAndRetry(status, retryAfter, attempt, [=] { attemptLogin(i, token, attempt + 1); }))
                            return;
                        if (status == 200)
                            ++m_loggedIn;
                        else {
                            if (++m_failed <= 20)
                                std::fprintf(stderr, "login %d: %d %s\n", i, status, body.left(200).constData());
                        }
                        settle();
                    });
    }

    void settle()
    {
        ++m_settled;
        maybeReport();
    }

    void maybeReport()
    {
        if (m_settled + m_gaveUp >= m_total)
            report();
    }

    static QString counts(const QMap<int, int> &m)
    {
        QString s;
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            s += QStringLiteral(" %1:%2").arg(it.key()).arg(it.value());
        return s.trimmed();
    }

    void report()
    {
        if (m_reported)
            return;
        m_reported = true;
        std::printf("storm: %d devices (%d accounts x %d) over %d s from %d addresses; registered %d, logged in %d, "
                    "last registration at %.1f s; register answers {%s}, login answers {%s}; refusals without "
                    "Retry-After %d, gave up after 5 attempts %d, other failures %d\n",
                    m_total, m_accounts, m_perAccount, m_secs, m_addresses, m_registered, m_loggedIn,
                    (m_lastRegisteredAt - m_t0) / 1000.0, qPrintable(counts(m_register)), qPrintable(counts(m_login)),
                    m_refusedWithoutRetryAfter, m_gaveUp, m_failed);
        std::fflush(stdout);
        QCoreApplication::exit(m_refusedWithoutRetryAfter == 0 && m_failed == 0 ? 0 : 1);
    }

    QSslConfiguration m_tls;
    quint16 m_port;
    QString m_prefix;
    QString m_password;
    int m_accounts;
    int m_perAccount;
    int m_secs;
    quint32 m_from;
    int m_addresses;
    int m_total = 0;
    int m_started = 0;
    int m_settled = 0;
    int m_registered = 0;
    int m_loggedIn = 0;
    int m_failed = 0;
    int m_gaveUp = 0;
    int m_refusedWithoutRetryAfter = 0;
    bool m_reported = false;
    double m_t0 = 0;
    double m_lastRegisteredAt = 0;
    QMap<int, int> m_register;
    QMap<int, int> m_login;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    g_clock.start();
    QCommandLineParser p;
    p.addPositionalArgument("command", "receivers | events | storm");
    for (const char *name : {"port", "ca", "prefix", "count", "password", "out", "tokens", "source-token", "rate", "secs",
                             "label", "accounts", "per-account", "from", "addresses"})
        p.addOption(QCommandLineOption(QString::fromLatin1(name), QString(), QStringLiteral("value")));
    p.process(app);
    const QString command = p.positionalArguments().value(0);
    if (command == QLatin1String("receivers"))
        return receivers(p);
    if (command == QLatin1String("events")) {
        EventRun run(p);
        run.start();
        return QCoreApplication::exec();
    }
    if (command == QLatin1String("storm")) {
        Storm storm(p);
        storm.start();
        return QCoreApplication::exec();
    }
    std::fprintf(stderr, "usage: login_storm receivers|events|storm --option value ...\n");
    return 2;
}

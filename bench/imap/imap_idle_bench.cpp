// How many IDLE monitors one Herald process holds against one local Dovecot, and what each costs.
// Starts its own Dovecot (tests/support/DovecotServer) with <users> users, opens <monitors>
// ImapMonitors spread over them on one event loop, waits until every one is in IDLE, then reports
// the time that took, the process's resident memory per monitor, and that new mail still arrives.
//
//   imap_idle_bench --monitors 5000 --users 500 [--hold 30]
#include "DovecotServer.h"
#include "monitor/imap/ImapMonitor.h"
#include "monitor/imap/ImapSettings.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <vector>

using namespace herald;

namespace {
qint64 residentKib()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : f.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    return -1;
}

void say(const QString &text)
{
    std::fprintf(stdout, "%s\n", qPrintable(text));
    std::fflush(stdout);
}
} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("monitors"), QStringLiteral("IDLE monitors to open"), QStringLiteral("n"),
                      QStringLiteral("1000")});
    parser.addOption({QStringLiteral("users"), QStringLiteral("Dovecot users to spread them over"), QStringLiteral("n"),
                      QStringLiteral("100")});
    parser.addOption({QStringLiteral("hold"), QStringLiteral("seconds to hold all monitors in IDLE before the mail check"),
                      QStringLiteral("s"), QStringLiteral("10")});
    parser.addOption({QStringLiteral("timeout"), QStringLiteral("give up after this many seconds"), QStringLiteral("s"),
                      QStringLiteral("600")});
    parser.process(app);
    const int monitors = parser.value(QStringLiteral("monitors")).toInt();
    const int users = qMax(1, parser.value(QStringLiteral("users")).toInt());
    const int hold = parser.value(QStringLiteral("hold")).toInt();
    const int perUser = (monitors + users - 1) / users;

    test::DovecotServer::Options options;
    options.maxUserIpConnections = perUser + 5;
    options.imapClientLimit = 1;                    // Dovecot's default: one imap process per session
    options.processLimit = monitors + 20;
    options.extraConfig = QStringLiteral("imap_hibernate_timeout = 0\n");
    test::DovecotServer dovecot(options);
    for (int u = 0; u < users; ++u)
        dovecot.addUser(QStringLiteral("bench%1").arg(u), QStringLiteral("pw%1").arg(u));
    QString error;
    if (!dovecot.start(&error)) {
        say(QStringLiteral("cannot start dovecot: ") + error);
        return 1;
    }

    QString settingsError;
    const auto settings = ImapSettings::fromSection(
        {{QStringLiteral("host"), dovecot.host()},
         {QStringLiteral("port"), QString::number(dovecot.imapPort())},
         {QStringLiteral("security"), QStringLiteral("plain")},
         {QStringLiteral("backoff_min_ms"), QStringLiteral("500")},
         {QStringLiteral("backoff_max_secs"), QStringLiteral("10")}},
        QStringLiteral("imap"), QStringLiteral("bench"), &settingsError);
    if (!settings) {
        say(settingsError);
        return 1;
    }

    const qint64 rssBefore = residentKib();
    std::vector<std::unique_ptr<ImapMonitor>> all;
    all.reserve(size_t(monitors));
    int watching = 0;
    int failed = 0;
    int events = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < monitors; ++i) {
        const int u = i % users;
        MonitorContext context;
        context.account = QStringLiteral("bench%1").arg(u);
        context.app = QStringLiteral("mail");
        context.privacy = QStringLiteral("summary");
        context.credentials = QStringLiteral(R"({"password":"pw%1"})").arg(u).toUtf8();
        auto monitor = std::make_unique<ImapMonitor>(*settings, context);
        QObject::connect(monitor.get(), &Monitor::stateChanged, [&](Monitor::State s) {
            if (s == Monitor::State::Watching)
                ++watching;
            if (s == Monitor::State::Failed)
                ++failed;
        });
        QObject::connect(monitor.get(), &Monitor::newInformation, [&](const MonitorEvent &) { ++events; });
        monitor->start();
        all.push_back(std::move(monitor));
    }

    int reconnects = 0;
    QTimer progress;
    progress.setInterval(1000);
    qint64 allWatchingMs = -1;
    QObject::connect(&progress, &QTimer::timeout, [&] {
        say(QStringLiteral("t=%1s watching=%2/%3 failed=%4 rss=%5 MiB")
                .arg(clock.elapsed() / 1000)
                .arg(watching)
                .arg(monitors)
                .arg(failed)
                .arg(residentKib() / 1024));
        if (allWatchingMs < 0 && watching >= monitors) {
            allWatchingMs = clock.elapsed();
            QTimer::singleShot(hold * 1000, &app, [&] {
                // Every monitor still on its first connection, and one new mail per user arrives.
                for (const auto &m : all)
                    reconnects += m->connectionAttempts() - 1;
                for (int u = 0; u < users; ++u) {
                    QString e;
                    if (!dovecot.deliver(QStringLiteral("bench%1").arg(u),
                                         test::DovecotServer::makeMessage(QStringLiteral("B"),
                                                                          QStringLiteral("b@example.org"),
                                                                          QStringLiteral("bench")),
                                         &e))
                        say(QStringLiteral("deliver failed: ") + e);
                }
                QTimer::singleShot(0, &app, [&] {});
            });
        }
        if (allWatchingMs >= 0 && events >= monitors)
            app.quit();
        if (clock.elapsed() > parser.value(QStringLiteral("timeout")).toLongLong() * 1000 || failed > 0)
            app.exit(2);
    });
    progress.start();
    const int rc = app.exec();
    const qint64 rssAfter = residentKib();
    say(QStringLiteral("RESULT monitors=%1 users=%2 watching=%3 failed=%4 events=%5/%6 reconnects=%7 "
                       "all_watching_after_ms=%8 rss_before_kib=%9 rss_after_kib=%10 kib_per_monitor=%11")
            .arg(monitors)
            .arg(users)
            .arg(watching)
            .arg(failed)
            .arg(events)
            .arg(monitors)
            .arg(reconnects)
            .arg(allWatchingMs)
            .arg(rssBefore)
            .arg(rssAfter)
            .arg(double(rssAfter - rssBefore) / monitors, 0, 'f', 1));
    all.clear();
    dovecot.stop();
    return rc;
}

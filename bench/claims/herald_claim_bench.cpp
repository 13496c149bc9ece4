// What a restart's claim of the outbox costs (Dispatcher::resume through Storage::claimOpenDeliveries):
// N open deliveries left by a stopped run, claimed in pages of the dispatcher's size, each page
// one event-loop pass. Reported per round: the whole claim, and the page times (p50, max: the
// longest the event loop is held). Baseline in the same process and round: reading the same number
// of rows a page at a time without claiming them (openDeliveries(page), the read the claim replaces
// in cost terms: the same index, the same row mapping). Ratios are claim ÷ read.
//   herald-claim-bench [--rows N] [--page N] [--rounds N] [--dir DIR]   (SQLite file in DIR)
//   herald-claim-bench --uri postgresql://… [--rows N] [--page N] [--rounds N]
// bench/claims/run.sh runs both engines (a PostgreSQL of its own for the second).
#include "crypto/RandomToken.h"
#include "storage/SqliteStorage.h"
#include "storage/postgresql/PostgresStorage.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

using namespace herald;

namespace {

struct Times
{
    double totalMs = 0;
    double p50Ms = 0;
    double maxMs = 0;
    qint64 rows = 0;
};

Times summarize(std::vector<double> pages, double totalMs, qint64 rows)
{
    std::sort(pages.begin(), pages.end());
    Times t;
    t.totalMs = totalMs;
    t.rows = rows;
    if (!pages.empty()) {
        t.p50Ms = pages[pages.size() / 2];
        t.maxMs = pages.back();
    }
    return t;
}

[[noreturn]] void fail(const char *what, const QString &error)
{
    std::fprintf(stderr, "herald-claim-bench: %s: %s\n", what, qPrintable(error));
    std::exit(1);
}

// N open deliveries to one device, as a stopped run leaves them (its claimer is in no nodes row).
void fill(Storage &storage, int rows)
{
    const auto account = storage.createAccount(QStringLiteral("bench"), QStringLiteral("hash"));
    if (!account)
        fail("account", storage.lastError());
    DeviceRecord device;
    device.accountId = *account;
    device.deviceId = QStringLiteral("phone");
    device.platform = QStringLiteral("ios");
    device.pushToken = QString(64, QLatin1Char('a'));
    device.tokenHash = QByteArray(32, 't');
    device.apps = {QStringLiteral("mail")};
    if (!storage.upsertDevice(device))
        fail("device", storage.lastError());
    const qint64 deviceId = storage.deviceByDeviceId(QStringLiteral("phone"))->id;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    constexpr int Batch = 1000;
    for (int first = 0; first < rows; first += Batch) {
        const bool ok = storage.transaction([&] {
            for (int i = first; i < std::min(rows, first + Batch); ++i) {
                NotificationRecord n;
                n.id = RandomToken::timeOrderedUuid();
                n.accountId = *account;
                n.app = QStringLiteral("mail");
                n.source = QStringLiteral("bench");
                n.eventId = QString::number(i);
                n.sender = QStringLiteral("Alice");
                n.subject = QStringLiteral("Quarterly report");
                n.receivedAt = n.createdAt = now;
                n.expiresAt = now.addDays(1);
                DeliveryRecord d;
                d.id = RandomToken::timeOrderedUuid();
                d.notificationId = n.id;
                d.deviceId = deviceId;
                d.state = i % 4 ? DeliveryState::Retry : DeliveryState::Pending;
                d.nextAttemptAt = i % 4 ? now.addSecs(3600 + i % 600) : QDateTime();
                if (!storage.insertNotification(n) || !storage.insertDelivery(d))
                    return false;
            }
            return true;
        });
        if (!ok)
            fail("fill", storage.lastError());
    }
}

Times claimAll(Storage &storage, int page)
{
    std::vector<double> pages;
    qint64 rows = 0;
    Storage::OpenDeliveryCursor cursor;
    QElapsedTimer total;
    total.start();
    const qint64 aliveSince = QDateTime::currentMSecsSinceEpoch() - 60'000;
    while (true) {
        QElapsedTimer one;
        one.start();
        const auto claimed = storage.claimOpenDeliveries(&cursor, aliveSince, page);
        pages.push_back(double(one.nsecsElapsed()) / 1e6);
        if (!claimed)
            fail("claim", storage.lastError());
        if (claimed->isEmpty())
            break;
        rows += claimed->size();
    }
    return summarize(pages, double(total.nsecsElapsed()) / 1e6, rows);
}

Times readAll(Storage &storage, int page, qint64 rows)
{
    std::vector<double> pages;
    qint64 read = 0;
    QElapsedTimer total;
    total.start();
    while (read < rows) {
        QElapsedTimer one;
        one.start();
        const auto got = storage.openDeliveries(page);
        pages.push_back(double(one.nsecsElapsed()) / 1e6);
        if (!got || got->isEmpty())
            fail("read", storage.lastError());
        read += got->size();
    }
    return summarize(pages, double(total.nsecsElapsed()) / 1e6, read);
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("rows"), QStringLiteral("open deliveries"), QStringLiteral("N"), QStringLiteral("100000")});
    parser.addOption({QStringLiteral("page"), QStringLiteral("rows per claim"), QStringLiteral("N"), QStringLiteral("500")});
    parser.addOption({QStringLiteral("rounds"), QStringLiteral("rounds"), QStringLiteral("N"), QStringLiteral("3")});
    parser.addOption({QStringLiteral("dir"), QStringLiteral("folder for the SQLite file"), QStringLiteral("DIR")});
    parser.addOption({QStringLiteral("uri"), QStringLiteral("PostgreSQL instead of SQLite"), QStringLiteral("URI")});
    parser.process(app);
    bool ok = false;
    const int rows = parser.value(QStringLiteral("rows")).toInt(&ok);
    if (!ok || rows < 1)
        fail("--rows", QStringLiteral("a positive number"));
    const int page = parser.value(QStringLiteral("page")).toInt(&ok);
    if (!ok || page < 1)
        fail("--page", QStringLiteral("a positive number"));
    const int rounds = parser.value(QStringLiteral("rounds")).toInt(&ok);
    if (!ok || rounds < 1)
        fail("--rounds", QStringLiteral("a positive number"));
    const QString uri = parser.value(QStringLiteral("uri"));
    QTemporaryDir tmp(parser.isSet(QStringLiteral("dir")) ? parser.value(QStringLiteral("dir")) + QStringLiteral("/claim-XXXXXX")
                                                            : QString());
    const QString path = tmp.filePath(QStringLiteral("claims.sqlite"));
    auto open = [&]() -> std::unique_ptr<Storage> {
        std::unique_ptr<Storage> s;
        if (uri.isEmpty())
            s = std::make_unique<SqliteStorage>(path);
        else {
            PgConnectOptions options;
            options.uri = uri;
            s = std::make_unique<PostgresStorage>(options);
        }
        QString error;
        if (!s->open(&error))
            fail("open", error);
        return s;
    };
    const char *engine = uri.isEmpty() ? "sqlite" : "postgresql";
    {
        auto filler = open();
        fill(*filler, rows);
    }
    std::printf("engine=%s rows=%d page=%d\n", engine, rows, page);
    std::vector<double> ratios;
    for (int round = 1; round <= rounds; ++round) {
        // Each round is a new run: it never joins the nodes table, so what it claims is free
        // again for the next round, as a stopped run's rows are.
        // The order alternates, so neither always runs on the other's warm cache.
        auto storage = open();
        Times read, claim;
        if (round % 2) {
            read = readAll(*storage, page, rows);
            claim = claimAll(*storage, page);
        } else {
            claim = claimAll(*storage, page);
            read = readAll(*storage, page, rows);
        }
        if (claim.rows != rows)
            fail("claim", QStringLiteral("claimed %1 of %2 rows").arg(claim.rows).arg(rows));
        const double ratio = claim.totalMs / read.totalMs;
        ratios.push_back(ratio);
        std::printf("round %d  claim %8.1f ms (page p50 %6.2f ms, max %6.2f ms)  read %8.1f ms (page p50 %6.2f ms, "
                    "max %6.2f ms)  claim/read %.2f\n",
                    round, claim.totalMs, claim.p50Ms, claim.maxMs, read.totalMs, read.p50Ms, read.maxMs, ratio);
        std::fflush(stdout);
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("median claim/read %.2f\n", ratios[ratios.size() / 2]);
    return 0;
}

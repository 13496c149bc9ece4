// What durable storage costs per event, on its own: the four row writes of one pushed event
// (notification, delivery, the delivery's outcome, its attempt) plus the event-targets read,
// in group-commit batches the size the server commits under load.
//   herald  SqliteStorage as the server uses it (statement cache, group commit, targets cache,
//           background checkpoints);
//   raw     the same SQL and schema on a bare sqlite3 handle: prepared once, bound from ready
//           UTF-8, one BEGIN IMMEDIATE/COMMIT per batch. The floor any code on SQLite pays.
// Both run in this process, one after the other, each on a fresh file; ratios are herald ÷ raw.
// --durability power runs Herald at [database] durability = power (a WAL fsync per commit);
// --compare-durability runs Herald at both levels in each round and reports power ÷ process
// (wall time: an fsync costs waiting, not CPU). Use a --dir on a real disk, not tmpfs.
//   herald-storage-bench [--events N] [--accounts N] [--batch N] [--rounds N] [--dir DIR]
//                        [--durability process|power] [--compare-durability]
#include "storage/SqlResources.h"
#include "storage/SqliteStorage.h"
#include "crypto/RandomToken.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QUuid>

#include <sqlite3.h>

#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace herald;

namespace {

struct Cpu
{
    double process = 0; // µs, every thread (the checkpointer's too)
    double thread = 0;  // µs, this thread
};

Cpu cpuNow()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    auto us = [](const timeval &v) { return double(v.tv_sec) * 1e6 + double(v.tv_usec); };
    return {us(u.ru_utime) + us(u.ru_stime), double(t.tv_sec) * 1e6 + double(t.tv_nsec) / 1e3};
}

struct Result
{
    double processUs = 0;
    double threadUs = 0;
    double seconds = 0;
};

// Accounts "s0".."sN-1", each with one iPhone subscribed to and logged in to "mail".
bool populate(SqliteStorage &storage, int accounts)
{
    for (int a = 0; a < accounts; ++a) {
        const auto id = storage.createAccount(QStringLiteral("s%1").arg(a), QStringLiteral("hash"));
        if (!id)
            return false;
        DeviceRecord d;
        d.accountId = *id;
        d.deviceId = QStringLiteral("s%1-iphone").arg(a);
        d.platform = QStringLiteral("ios");
        d.pushToken = QString(64, QLatin1Char('a'));
        d.tokenHash = QByteArray::number(a).leftJustified(32, '.');
        d.apps = {QStringLiteral("mail")};
        if (!storage.upsertDevice(d) || !storage.upsertLogin(*id, QStringLiteral("mail"), QByteArray("c")))
            return false;
    }
    return true;
}

Result runHerald(const QString &path, int events, int accounts, int batch, const QString &tag,
                 Durability durability = Durability::Process)
{
    SqliteStorage storage(path, durability);
    QString error;
    if (!storage.open(&error) || !populate(storage, accounts)) {
        std::fprintf(stderr, "herald: %s %s\n", qPrintable(error), qPrintable(storage.lastError()));
        std::exit(1);
    }
    storage.setGroupCommit(true);
    const QString source = QStringLiteral("bench"), app = QStringLiteral("mail");
    std::vector<DeliveryRecord> previous;
    QElapsedTimer wall;
    wall.start();
    const Cpu start = cpuNow();
    auto settle = [&] {
        bool done = false;
        storage.whenDurable([&](bool ok) {
            if (!ok)
                std::fprintf(stderr, "herald: commit failed\n");
            done = true;
        });
        while (!done)
            QCoreApplication::processEvents();
    };
    for (int first = 0; first < events; first += batch) {
        std::vector<DeliveryRecord> current;
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (int i = first; i < std::min(events, first + batch); ++i) {
            const auto targets = storage.eventTargets(QStringLiteral("s%1").arg(i % accounts), app);
            NotificationRecord n;
            n.id = RandomToken::timeOrderedUuid();
            n.accountId = targets->account.id;
            n.app = app;
            n.source = source;
            n.eventId = QStringLiteral("%1-%2").arg(tag).arg(i);
            n.sender = QStringLiteral("Alice");
            n.subject = QStringLiteral("Quarterly report");
            n.body = QStringLiteral("Please find the numbers attached.");
            n.receivedAt = n.createdAt = now;
            n.expiresAt = now.addSecs(86400);
            n.state = NotificationState::Active;
            DeliveryRecord d;
            d.id = RandomToken::timeOrderedUuid();
            d.notificationId = n.id;
            d.deviceId = targets->devices.constFirst().id;
            d.state = DeliveryState::Pending;
            d.createdAt = d.updatedAt = now;
            bool duplicate = false;
            storage.transaction([&] { return storage.insertNewNotification(n, &duplicate) && storage.insertDelivery(d); });
            current.push_back(d);
        }
        // The outcomes of the batch before (pushes answered while this batch came in).
        for (DeliveryRecord &d : previous) {
            storage.addDeliveryAttempt(
                {d.id, AttemptChannel::Push, QStringLiteral("delivered"), QStringLiteral("apns: 200"), now, now});
            d.state = DeliveryState::Delivered;
            d.channel = DeliveryChannel::Push;
            d.attempts = 1;
            d.providerId = d.id;
            storage.updateDelivery(d);
        }
        previous = std::move(current);
        settle();
    }
    const Cpu end = cpuNow();
    return {(end.process - start.process) / events, (end.thread - start.thread) / events, wall.elapsed() / 1e3};
}

struct Raw
{
    sqlite3 *db = nullptr;
    sqlite3_stmt *prepare(const SqlResources &sql, const char *name)
    {
        const QByteArray text = sql.query(QString::fromLatin1(name)).toUtf8();
        sqlite3_stmt *s = nullptr;
        if (sqlite3_prepare_v3(db, text.constData(), -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "raw: %s: %s\n", name, sqlite3_errmsg(db));
            std::exit(1);
        }
        return s;
    }
    void exec(const char *sql)
    {
        if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
            std::fprintf(stderr, "raw: %s: %s\n", sql, sqlite3_errmsg(db));
            std::exit(1);
        }
    }
};

void text(sqlite3_stmt *s, const char *name, const QByteArray &v)
{
    sqlite3_bind_text(s, sqlite3_bind_parameter_index(s, name), v.constData(), int(v.size()), SQLITE_STATIC);
}
void integer(sqlite3_stmt *s, const char *name, qint64 v)
{
    sqlite3_bind_int64(s, sqlite3_bind_parameter_index(s, name), v);
}
void step(Raw &raw, sqlite3_stmt *s)
{
    const int rc = sqlite3_step(s);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        std::fprintf(stderr, "raw: %s\n", sqlite3_errmsg(raw.db));
        std::exit(1);
    }
    while (sqlite3_step(s) == SQLITE_ROW) {
    }
    sqlite3_reset(s);
}

Result runRaw(const QString &path, int events, int accounts, int batch, const QString &tag)
{
    {
        SqliteStorage schema(path); // the schema and the same accounts, written by Herald, then closed
        QString error;
        if (!schema.open(&error) || !populate(schema, accounts)) {
            std::fprintf(stderr, "raw: %s\n", qPrintable(error));
            std::exit(1);
        }
    }
    Raw raw;
    sqlite3_open_v2(path.toUtf8().constData(), &raw.db, SQLITE_OPEN_READWRITE, nullptr);
    raw.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
             "PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY");
    const SqlResources sql(QStringLiteral("sqlite"));
    sqlite3_stmt *targets = raw.prepare(sql, "select_event_targets");
    sqlite3_stmt *notification = raw.prepare(sql, "insert_notification_if_new");
    sqlite3_stmt *delivery = raw.prepare(sql, "insert_delivery");
    const QByteArray claimer = QUuid::createUuid().toByteArray(QUuid::WithoutBraces); // as SqlStorage's
    sqlite3_stmt *update = raw.prepare(sql, "update_delivery");
    sqlite3_stmt *attempt = raw.prepare(sql, "insert_delivery_attempt");
    const QByteArray app("mail"), source("bench"), pending("pending"), push("push"), empty("");
    struct Sent
    {
        QByteArray id;
    };
    std::vector<Sent> previous;
    QElapsedTimer wall;
    wall.start();
    const Cpu start = cpuNow();
    for (int first = 0; first < events; first += batch) {
        raw.exec("BEGIN IMMEDIATE");
        std::vector<Sent> current;
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int i = first; i < std::min(events, first + batch); ++i) {
            const QByteArray account = "s" + QByteArray::number(i % accounts);
            text(targets, ":name", account);
            text(targets, ":app", app);
            if (sqlite3_step(targets) != SQLITE_ROW) {
                std::fprintf(stderr, "raw: no targets\n");
                std::exit(1);
            }
            const qint64 accountId = sqlite3_column_int64(targets, 0);
            const qint64 deviceId = sqlite3_column_int64(targets, 3);
            sqlite3_reset(targets);
            const QByteArray nid = RandomToken::timeOrderedUuid().toUtf8();
            const QByteArray did = RandomToken::timeOrderedUuid().toUtf8();
            const QByteArray eventId = tag.toUtf8() + '-' + QByteArray::number(i);
            raw.exec("SAVEPOINT unit");
            text(notification, ":id", nid);
            integer(notification, ":account_id", accountId);
            text(notification, ":app", app);
            text(notification, ":source", source);
            text(notification, ":event_id", eventId);
            text(notification, ":sender", QByteArrayLiteral("Alice"));
            text(notification, ":subject", QByteArrayLiteral("Quarterly report"));
            text(notification, ":body", QByteArrayLiteral("Please find the numbers attached."));
            integer(notification, ":received_at", now);
            integer(notification, ":created_at", now);
            integer(notification, ":expires_at", now + 86'400'000);
            text(notification, ":state", QByteArrayLiteral("active"));
            step(raw, notification);
            text(delivery, ":id", did);
            text(delivery, ":notification_id", nid);
            integer(delivery, ":device_id", deviceId);
            text(delivery, ":state", pending);
            text(delivery, ":channel", empty);
            integer(delivery, ":attempts", 0);
            integer(delivery, ":next_attempt_at", 0);
            text(delivery, ":last_error", empty);
            text(delivery, ":provider_id", empty);
            integer(delivery, ":now", now);
            text(delivery, ":claimer", claimer);
            step(raw, delivery);
            raw.exec("RELEASE unit");
            current.push_back({did});
        }
        for (const Sent &d : previous) {
            text(attempt, ":delivery_id", d.id);
            text(attempt, ":channel", push);
            text(attempt, ":outcome", QByteArrayLiteral("delivered"));
            text(attempt, ":detail", QByteArrayLiteral("apns: 200"));
            integer(attempt, ":at", now);
            integer(attempt, ":sent_at", now);
            step(raw, attempt);
            text(update, ":id", d.id);
            text(update, ":state", QByteArrayLiteral("delivered"));
            text(update, ":channel", push);
            integer(update, ":attempts", 1);
            integer(update, ":next_attempt_at", 0);
            text(update, ":last_error", empty);
            text(update, ":provider_id", d.id);
            integer(update, ":now", now);
            text(update, ":claimer", claimer);
            step(raw, update);
        }
        previous = std::move(current);
        raw.exec("COMMIT");
    }
    const Cpu end = cpuNow();
    for (sqlite3_stmt *s : {targets, notification, delivery, update, attempt})
        sqlite3_finalize(s);
    sqlite3_close_v2(raw.db);
    return {(end.process - start.process) / events, (end.thread - start.thread) / events, wall.elapsed() / 1e3};
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v.empty() ? 0 : v[v.size() / 2];
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("herald.storage.info=false"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Durable storage cost per pushed event: Herald vs bare SQLite"));
    parser.addHelpOption();
    const QCommandLineOption eventsOpt(QStringLiteral("events"), QStringLiteral("events per run"), QStringLiteral("n"),
                                       QStringLiteral("20000"));
    const QCommandLineOption accountsOpt(QStringLiteral("accounts"), QStringLiteral("accounts"), QStringLiteral("n"),
                                         QStringLiteral("200"));
    const QCommandLineOption batchOpt(QStringLiteral("batch"), QStringLiteral("events per commit"), QStringLiteral("n"),
                                      QStringLiteral("75"));
    const QCommandLineOption roundsOpt(QStringLiteral("rounds"), QStringLiteral("rounds"), QStringLiteral("n"),
                                       QStringLiteral("3"));
    const QCommandLineOption dirOpt(QStringLiteral("dir"), QStringLiteral("where the database files go (default: a temporary folder)"),
                                    QStringLiteral("dir"));
    const QCommandLineOption durabilityOpt(QStringLiteral("durability"),
                                           QStringLiteral("Herald's [database] durability: process or power"),
                                           QStringLiteral("level"), QStringLiteral("process"));
    const QCommandLineOption compareOpt(QStringLiteral("compare-durability"),
                                        QStringLiteral("run Herald at process and at power in every round"));
    parser.addOptions({eventsOpt, accountsOpt, batchOpt, roundsOpt, dirOpt, durabilityOpt, compareOpt});
    parser.process(app);
    const auto durability = durabilityFromName(parser.value(durabilityOpt));
    if (!durability) {
        std::fprintf(stderr, "herald-storage-bench: --durability is process or power\n");
        return 2;
    }
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false;
    const int events = parser.value(eventsOpt).toInt(&ok1);
    const int accounts = parser.value(accountsOpt).toInt(&ok2);
    const int batch = parser.value(batchOpt).toInt(&ok3);
    const int rounds = parser.value(roundsOpt).toInt(&ok4);
    if (!ok1 || !ok2 || !ok3 || !ok4 || events < 1 || accounts < 1 || batch < 1 || rounds < 1 || events > 10'000'000
        || accounts > 100'000) {
        std::fprintf(stderr, "herald-storage-bench: --events, --accounts, --batch and --rounds take positive numbers\n");
        return 2;
    }
    QTemporaryDir temporary;
    const QString dir = parser.isSet(dirOpt) ? parser.value(dirOpt) : temporary.path();

    if (parser.isSet(compareOpt)) {
        // Alternating order per round, so drift of the machine does not favour one level.
        std::vector<double> processSeconds, powerSeconds, processCpu, powerCpu, wallRatios;
        for (int r = 1; r <= rounds; ++r) {
            Result process, power;
            for (int k = 0; k < 2; ++k) {
                const bool powerNow = (k == 0) == (r % 2 == 0);
                const QString tag = QStringLiteral("%1%2").arg(powerNow ? QStringLiteral("f") : QStringLiteral("n")).arg(r);
                const Result res = runHerald(QStringLiteral("%1/%2.sqlite").arg(dir, tag), events, accounts, batch, tag,
                                             powerNow ? Durability::Power : Durability::Process);
                (powerNow ? power : process) = res;
            }
            std::printf("round %d: process %.2f s (%.1f us cpu/event) | power %.2f s (%.1f us cpu/event) | "
                        "power/process wall %.2f\n",
                        r, process.seconds, process.processUs, power.seconds, power.processUs,
                        power.seconds / process.seconds);
            std::fflush(stdout);
            processSeconds.push_back(process.seconds);
            powerSeconds.push_back(power.seconds);
            processCpu.push_back(process.processUs);
            powerCpu.push_back(power.processUs);
            wallRatios.push_back(power.seconds / process.seconds);
        }
        std::printf("median over %d rounds, %d events, %d events per commit: process %.2f s (%.1f us/event wall, "
                    "%.1f us cpu), power %.2f s (%.1f us/event wall, %.1f us cpu), power/process wall %.2f\n",
                    rounds, events, batch, median(processSeconds), median(processSeconds) * 1e6 / events,
                    median(processCpu), median(powerSeconds), median(powerSeconds) * 1e6 / events, median(powerCpu),
                    median(wallRatios));
        return 0;
    }

    std::vector<double> herald, heraldThread, raw, ratios;
    for (int r = 1; r <= rounds; ++r) {
        const Result h = runHerald(QStringLiteral("%1/herald-%2.sqlite").arg(dir).arg(r), events, accounts, batch,
                                   QStringLiteral("h%1").arg(r), *durability);
        const Result b = runRaw(QStringLiteral("%1/raw-%2.sqlite").arg(dir).arg(r), events, accounts, batch,
                                QStringLiteral("r%1").arg(r));
        std::printf("round %d: herald cpu_us_per_event=%.1f (event-loop thread %.1f) seconds=%.2f | raw sqlite "
                    "cpu_us_per_event=%.1f seconds=%.2f | herald/raw=%.2f\n",
                    r, h.processUs, h.threadUs, h.seconds, b.processUs, b.seconds, h.processUs / b.processUs);
        std::fflush(stdout);
        herald.push_back(h.processUs);
        heraldThread.push_back(h.threadUs);
        raw.push_back(b.processUs);
        ratios.push_back(h.processUs / b.processUs);
    }
    std::printf("median over %d rounds, %d events, %d accounts, %d events per commit: herald %.1f us/event "
                "(event-loop thread %.1f), raw sqlite %.1f us/event, herald/raw %.2f\n",
                rounds, events, accounts, batch, median(herald), median(heraldThread), median(raw), median(ratios));
    return 0;
}

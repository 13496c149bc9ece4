// The notices nodes of a cluster pass each other for the admin live feed (admin/AdminFeedWire,
// admin/AdminFeedWatchers): frames packed under PostgreSQL's payload limit in order, free text cut,
// and anything from the shared channel that is not exactly a notice of this version refused whole.
#include "admin/AdminFeedWatchers.h"
#include "admin/AdminFeedWire.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QtTest>

using namespace herald;
namespace wire = herald::AdminFeedWire;

namespace {

const QString kNode = QStringLiteral("host-a1b2c3");
const QString kRun = QStringLiteral("6f1c1f1e-4c1b-4d5e-9a1b-2c3d4e5f6a7b");

QJsonObject delivery(int n, const QString &detail = QStringLiteral("sent"))
{
    return {{QStringLiteral("type"), QStringLiteral("delivery")},
            {QStringLiteral("notificationId"), QStringLiteral("n-%1").arg(n)},
            {QStringLiteral("deliveryId"), QStringLiteral("d-%1").arg(n)},
            {QStringLiteral("deviceRow"), 40 + n},
            {QStringLiteral("channel"), QStringLiteral("push")},
            {QStringLiteral("state"), QStringLiteral("push")},
            {QStringLiteral("outcome"), QStringLiteral("delivered")},
            {QStringLiteral("detail"), detail},
            {QStringLiteral("at"), QStringLiteral("2024-05-01T10:00:00.000Z")}};
}

QByteArray notice(const QJsonObject &envelope)
{
    return QJsonDocument(envelope).toJson(QJsonDocument::Compact);
}

QJsonObject envelope(const QJsonArray &frames)
{
    return {{QStringLiteral("v"), 1},
            {QStringLiteral("node"), kNode},
            {QStringLiteral("run"), kRun},
            {QStringLiteral("seq"), 1},
            {QStringLiteral("frames"), frames}};
}

} // namespace

class tst_AdminFeedWire : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void framesGoAcrossInOrder()
    {
        QList<QJsonObject> frames;
        for (int i = 0; i < 100; ++i)
            frames.append(delivery(i));
        frames.append({{QStringLiteral("type"), QStringLiteral("presence")},
                       {QStringLiteral("deviceRow"), 7},
                       {QStringLiteral("online"), true},
                       {QStringLiteral("apps"), QJsonObject{{QStringLiteral("mail"), QStringLiteral("foreground")}}},
                       {QStringLiteral("at"), QStringLiteral("2024-05-01T10:00:00.000Z")}});
        qint64 seq = 41;
        int dropped = -1;
        const QList<QByteArray> payloads = wire::encodeFrames(kNode, kRun, &seq, frames, &dropped);
        QCOMPARE(dropped, 0);
        QVERIFY(payloads.size() > 1); // 100 frames do not fit in one NOTIFY
        QCOMPARE(seq, 41 + payloads.size());
        QList<QJsonObject> back;
        qint64 expectedSeq = 41;
        for (const QByteArray &payload : payloads) {
            QVERIFY2(payload.size() <= wire::MaxPayloadBytes, QByteArray::number(payload.size()).constData());
            QString why;
            const auto decoded = wire::decodeFrames(payload, &why);
            QVERIFY2(decoded, qPrintable(why));
            QCOMPARE(decoded->node, kNode);
            QCOMPARE(decoded->run, kRun);
            QCOMPARE(decoded->seq, expectedSeq++);
            back += decoded->frames;
        }
        QCOMPARE(back, frames);
    }

    void freeTextIsCutAndHugeFramesLeftOut()
    {
        qint64 seq = 1;
        int dropped = 0;
        const QString longText(5000, QLatin1Char('x'));
        QJsonObject huge = delivery(2);
        QJsonObject apps;
        for (int i = 0; i < 600; ++i)
            apps.insert(QStringLiteral("app%1").arg(i), QStringLiteral("background"));
        huge.insert(QStringLiteral("apps"), apps); // nested: not cut, too large for any notice
        const auto payloads = wire::encodeFrames(kNode, kRun, &seq, {delivery(1, longText), huge, delivery(3)}, &dropped);
        QCOMPARE(dropped, 1);
        QCOMPARE(payloads.size(), 1);
        QString why;
        const auto decoded = wire::decodeFrames(payloads.first(), &why);
        QVERIFY2(decoded, qPrintable(why));
        QCOMPARE(decoded->frames.size(), 2);
        QCOMPARE(decoded->frames[0].value(QStringLiteral("detail")).toString(), longText.left(wire::MaxTextChars));
        QCOMPARE(decoded->frames[1].value(QStringLiteral("deliveryId")).toString(), QStringLiteral("d-3"));
    }

    void whatIsNotANoticeIsRefused_data()
    {
        QTest::addColumn<QByteArray>("payload");
        QJsonObject e = envelope({delivery(1)});
        QTest::newRow("garbage") << QByteArray("\x01\xff garbage {");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("array") << QByteArray("[1,2,3]");
        QTest::newRow("too large") << QByteArray(wire::MaxPayloadBytes + 1, ' ');
        auto with = [&](const QString &key, const QJsonValue &value) {
            QJsonObject o = e;
            if (value.isUndefined())
                o.remove(key);
            else
                o.insert(key, value);
            return notice(o);
        };
        QTest::newRow("version 2") << with(QStringLiteral("v"), 2);
        QTest::newRow("extra member") << with(QStringLiteral("x"), 1);
        QTest::newRow("no node") << with(QStringLiteral("node"), QJsonValue::Undefined);
        QTest::newRow("node with a space") << with(QStringLiteral("node"), QStringLiteral("a b"));
        QTest::newRow("run too long") << with(QStringLiteral("run"), QString(101, QLatin1Char('r')));
        QTest::newRow("seq 0") << with(QStringLiteral("seq"), 0);
        QTest::newRow("seq 1.5") << with(QStringLiteral("seq"), 1.5);
        QTest::newRow("seq text") << with(QStringLiteral("seq"), QStringLiteral("1"));
        QTest::newRow("no frames") << with(QStringLiteral("frames"), QJsonArray());
        QJsonArray many;
        for (int i = 0; i <= wire::MaxFramesPerNotice; ++i)
            many.append(QJsonObject{{QStringLiteral("type"), QStringLiteral("provider")},
                                    {QStringLiteral("name"), QStringLiteral("p")},
                                    {QStringLiteral("state"), QStringLiteral("ok")},
                                    {QStringLiteral("at"), QStringLiteral("t")}});
        QTest::newRow("too many frames") << with(QStringLiteral("frames"), many);
        QTest::newRow("frame not an object") << with(QStringLiteral("frames"), QJsonArray{1});
        auto frame = [&](const QString &key, const QJsonValue &value) {
            QJsonObject f = delivery(1);
            if (value.isUndefined())
                f.remove(key);
            else
                f.insert(key, value);
            return with(QStringLiteral("frames"), QJsonArray{f});
        };
        QTest::newRow("unknown type") << frame(QStringLiteral("type"), QStringLiteral("deliver"));
        QTest::newRow("no device row") << frame(QStringLiteral("deviceRow"), QJsonValue::Undefined);
        QTest::newRow("negative row") << frame(QStringLiteral("deviceRow"), -3);
        QTest::newRow("no time") << frame(QStringLiteral("at"), QJsonValue::Undefined);
        QTest::newRow("text too long") << frame(QStringLiteral("detail"), QString(wire::MaxTextChars + 1, QLatin1Char('y')));
        QTest::newRow("nested object") << frame(QStringLiteral("detail"), QJsonObject{{QStringLiteral("a"), 1}});
        QTest::newRow("number as id") << frame(QStringLiteral("deliveryId"), 12);
    }
    void whatIsNotANoticeIsRefused()
    {
        QFETCH(QByteArray, payload);
        QString why;
        QVERIFY(!wire::decodeFrames(payload, &why));
        QVERIFY(!why.isEmpty());
    }

    void watchNotices()
    {
        for (const auto word : {wire::WatchWord::On, wire::WatchWord::Off, wire::WatchWord::Ask}) {
            QString why;
            const auto back = wire::decodeWatch(wire::encodeWatch(word, kRun, kNode), &why);
            QVERIFY2(back, qPrintable(why));
            QCOMPARE(back->word, word);
            QCOMPARE(back->run, kRun);
            QCOMPARE(back->node, kNode);
        }
        for (const QByteArray bad : {QByteArray("on"), QByteArray("on a"), QByteArray("on a b c"), QByteArray("up a b"),
                                     QByteArray("on a/b c"), QByteArray("on a  b"), QByteArray("on a b\n"),
                                     QByteArray("on ") + QByteArray(300, 'r') + " n"}) {
            QString why;
            QVERIFY2(!wire::decodeWatch(bad, &why), bad.constData());
        }
    }

    void watchersAreForgottenAfterSilence()
    {
        AdminFeedWatchers watchers(3000);
        using Heard = AdminFeedWatchers::Heard;
        QVERIFY(watchers.isEmpty());
        QCOMPARE(watchers.heard(QStringLiteral("r1"), QStringLiteral("n1"), 1000), Heard::New);
        QCOMPARE(watchers.heard(QStringLiteral("r2"), QStringLiteral("n2"), 2000), Heard::New);
        QCOMPARE(watchers.nodes(), (QStringList{QStringLiteral("n1"), QStringLiteral("n2")}));
        QVERIFY(watchers.prune(3500).isEmpty());
        QCOMPARE(watchers.heard(QStringLiteral("r2"), QStringLiteral("n2"), 4500), Heard::Again); // "on" again
        QCOMPARE(watchers.prune(4500), QStringList{QStringLiteral("n1")});
        QVERIFY(watchers.left(QStringLiteral("r2")));
        QVERIFY(!watchers.left(QStringLiteral("r2")));
        QVERIFY(watchers.isEmpty());
        for (int i = 0; i < AdminFeedWatchers::MaxRuns; ++i)
            QCOMPARE(watchers.heard(QStringLiteral("r%1").arg(i), QStringLiteral("n"), 5000), Heard::New);
        QCOMPARE(watchers.heard(QStringLiteral("one-more"), QStringLiteral("n"), 5000), Heard::Refused);
        QCOMPARE(watchers.heard(QStringLiteral("r0"), QStringLiteral("n"), 5000), Heard::Again); // known ones renew
    }
};

QTEST_GUILESS_MAIN(tst_AdminFeedWire)
#include "tst_adminfeedwire.moc"

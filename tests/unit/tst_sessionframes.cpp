#include "protocol/SessionFrameParser.h"
#include "protocol/TerminalApi.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace herald::protocol;

namespace {

SessionFrameResult fromServer(const QByteArray &text, qsizetype limit = 4096)
{
    return SessionFrameParser(FrameDirection::ClientToServer, limit).parse(text);
}
SessionFrameResult fromClient(const QByteArray &text, qsizetype limit = 256 * 1024)
{
    return SessionFrameParser(FrameDirection::ServerToClient, limit).parse(text);
}
template <typename Frame> Frame roundTrip(const Frame &frame, FrameDirection direction)
{
    const QString text = frameToText(SessionFrame(frame));
    const SessionFrameResult result = SessionFrameParser(direction).parse(text);
    if (!result.isValid())
        qWarning() << "refused:" << result.error.code << result.error.message << text;
    Q_ASSERT(result.isValid());
    return std::get<Frame>(*result.frame);
}

} // namespace

class tst_SessionFrames : public QObject
{
    Q_OBJECT

private slots:
    void roundTripClientFrames()
    {
        HelloFrame hello;
        hello.features = {QString(feature::Ack), QString(feature::Clear)};
        const HelloFrame h = roundTrip(hello, FrameDirection::ClientToServer);
        QCOMPARE(h.protocol, 1);
        QCOMPARE(h.features, hello.features);

        for (UiState ui : {UiState::Foreground, UiState::Background, UiState::Closed}) {
            const StateFrame s =
                roundTrip(StateFrame{QStringLiteral("mail"), ui}, FrameDirection::ClientToServer);
            QCOMPARE(s.app, QStringLiteral("mail"));
            QCOMPARE(s.ui, ui);
        }
        QCOMPARE(roundTrip(AckFrame{QStringLiteral("0f8fad5b-d9cb-469f-a165-70867728950e")},
                           FrameDirection::ClientToServer)
                     .id,
                 QStringLiteral("0f8fad5b-d9cb-469f-a165-70867728950e"));
        roundTrip(PingFrame{}, FrameDirection::ClientToServer);
    }

    void roundTripServerFrames()
    {
        WelcomeFrame welcome;
        welcome.features = {QStringLiteral("ack")};
        welcome.heartbeat = 25;
        const WelcomeFrame w = roundTrip(welcome, FrameDirection::ServerToClient);
        QCOMPARE(w.heartbeat, 25);
        QCOMPARE(w.features, welcome.features);

        DeliverFrame deliver;
        deliver.id = QStringLiteral("n-1");
        deliver.app = QStringLiteral("mail");
        deliver.title = QStringLiteral("Quarterly report 季度报告");
        deliver.body = QStringLiteral("line one\nline two\twith tab");
        deliver.sender = QStringLiteral("Alice <alice@example.com>");
        deliver.createdAt = QDateTime(QDate(2026, 1, 31), QTime(12, 0, 1, 250), Qt::UTC);
        const DeliverFrame d = roundTrip(deliver, FrameDirection::ServerToClient);
        QCOMPARE(d.id, deliver.id);
        QCOMPARE(d.title, deliver.title);
        QCOMPARE(d.body, deliver.body);
        QCOMPARE(d.sender, deliver.sender);
        QCOMPARE(d.createdAt, deliver.createdAt);

        deliver.sender.clear();
        QVERIFY(!deliver.toJson().contains(QStringLiteral("sender")));
        QCOMPARE(roundTrip(deliver, FrameDirection::ServerToClient).sender, QString());

        const ClearFrame c =
            roundTrip(ClearFrame{{QStringLiteral("a"), QStringLiteral("b")}}, FrameDirection::ServerToClient);
        QCOMPARE(c.ids, QStringList({QStringLiteral("a"), QStringLiteral("b")}));
        roundTrip(PongFrame{}, FrameDirection::ServerToClient);
        const ErrorFrame e = roundTrip(ErrorFrame{QStringLiteral("bad_value"), QStringLiteral("nope")},
                                       FrameDirection::ServerToClient);
        QCOMPARE(e.code, QStringLiteral("bad_value"));
        QCOMPARE(e.message, QStringLiteral("nope"));
    }

    void wireShapes()
    {
        // The exact text of PROTOCOL.md's examples must parse.
        QVERIFY(fromServer(R"({"type":"hello","protocol":1,"features":["ack","clear"]})").isValid());
        QVERIFY(fromServer(R"({"type":"state","app":"mail","ui":"foreground"})").isValid());
        QVERIFY(fromServer(R"({"type":"ack","id":"abc"})").isValid());
        QVERIFY(fromServer(R"({"type":"ping"})").isValid());
        QVERIFY(fromClient(R"({"type":"welcome","protocol":1,"features":[],"heartbeat":30})").isValid());
        QVERIFY(fromClient(R"({"type":"deliver","id":"1","app":"im","title":"t","body":"b",)"
                           R"("createdAt":"2026-01-31T12:00:00Z"})")
                    .isValid());
        QVERIFY(fromClient(R"({"type":"deliver","id":"1","app":"im","title":"t","body":"b","sender":null,)"
                           R"("createdAt":"2026-01-31T12:00:00+08:00"})")
                    .isValid());
        QVERIFY(fromClient(R"({"type":"clear","ids":["x"]})").isValid());
        QVERIFY(fromClient(R"({"type":"error","error":"not_json","message":"frame is not valid JSON"})")
                    .isValid());

        const QJsonObject text =
            QJsonDocument::fromJson(
                frameToText(SessionFrame(StateFrame{QStringLiteral("im"), UiState::Background})).toUtf8())
                .object();
        QCOMPARE(text, (QJsonObject{{"type", "state"}, {"app", "im"}, {"ui", "background"}}));
    }

    void extraFieldsIgnored()
    {
        const auto r =
            fromServer(R"({"type":"state","app":"mail","ui":"closed","since":123,"x":{"y":[1,2]}})");
        QVERIFY(r.isValid());
        QCOMPARE(std::get<StateFrame>(*r.frame).ui, UiState::Closed);
        QVERIFY(fromServer(R"({"type":"hello","protocol":1})").isValid()); // features optional
    }

    void refused_data()
    {
        QTest::addColumn<bool>("toServer");
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");

        const QString hugeApp = QString(65, QLatin1Char('a'));
        const QString hugeId = QString(129, QLatin1Char('i'));

        QTest::newRow("empty") << true << QByteArray() << "not_json";
        QTest::newRow("garbage") << true << QByteArray("hello") << "not_json";
        QTest::newRow("truncated") << true << QByteArray(R"({"type":"ping")") << "not_json";
        QTest::newRow("trailing") << true << QByteArray(R"({"type":"ping"} x)") << "not_json";
        QTest::newRow("invalid utf8")
            << true << QByteArray("{\"type\":\"ack\",\"id\":\"\xff\xfe\"}") << "not_json";
        QTest::newRow("raw NUL") << true << QByteArray("{\"type\":\"ping\"}\0", 16) << "not_json";
        QTest::newRow("raw NUL in string")
            << true << QByteArray("{\"type\":\"ack\",\"id\":\"a\0b\"}", 24) << "not_json";
        QTest::newRow("array") << true << QByteArray(R"([{"type":"ping"}])") << "not_object";
        QTest::newRow("number") << true << QByteArray("42") << "not_object";
        QTest::newRow("string") << true << QByteArray(R"("ping")") << "not_object";
        QTest::newRow("null") << true << QByteArray("null") << "not_object";
        QTest::newRow("missing type") << true << QByteArray(R"({"app":"mail"})") << "missing_field";
        QTest::newRow("type number") << true << QByteArray(R"({"type":7})") << "wrong_type";
        QTest::newRow("type null") << true << QByteArray(R"({"type":null})") << "wrong_type";
        QTest::newRow("unknown type") << true << QByteArray(R"({"type":"subscribe"})") << "unknown_type";
        QTest::newRow("type case") << true << QByteArray(R"({"type":"PING"})") << "unknown_type";
        QTest::newRow("server frame at server") << true << QByteArray(R"({"type":"pong"})") << "unknown_type";
        QTest::newRow("client frame at client")
            << false << QByteArray(R"({"type":"hello","protocol":1})") << "unknown_type";
        QTest::newRow("hello no protocol") << true << QByteArray(R"({"type":"hello"})") << "missing_field";
        QTest::newRow("hello protocol string")
            << true << QByteArray(R"({"type":"hello","protocol":"1"})") << "wrong_type";
        QTest::newRow("hello protocol fraction")
            << true << QByteArray(R"({"type":"hello","protocol":1.5})") << "wrong_type";
        QTest::newRow("hello protocol zero")
            << true << QByteArray(R"({"type":"hello","protocol":0})") << "bad_value";
        QTest::newRow("hello features object")
            << true << QByteArray(R"({"type":"hello","protocol":1,"features":{}})") << "wrong_type";
        QTest::newRow("hello feature number")
            << true << QByteArray(R"({"type":"hello","protocol":1,"features":[1]})") << "wrong_type";
        QTest::newRow("state no ui") << true << QByteArray(R"({"type":"state","app":"mail"})")
                                     << "missing_field";
        QTest::newRow("state no app")
            << true << QByteArray(R"({"type":"state","ui":"foreground"})") << "missing_field";
        QTest::newRow("state bad ui")
            << true << QByteArray(R"({"type":"state","app":"mail","ui":"minimized"})") << "bad_value";
        QTest::newRow("state ui case")
            << true << QByteArray(R"({"type":"state","app":"mail","ui":"Foreground"})") << "bad_value";
        QTest::newRow("state ui bool")
            << true << QByteArray(R"({"type":"state","app":"mail","ui":true})") << "wrong_type";
        QTest::newRow("state app array")
            << true << QByteArray(R"({"type":"state","app":["mail"],"ui":"closed"})") << "wrong_type";
        QTest::newRow("state empty app")
            << true << QByteArray(R"({"type":"state","app":"","ui":"closed"})") << "bad_value";
        QTest::newRow("state app space")
            << true << QByteArray(R"({"type":"state","app":"ma il","ui":"closed"})") << "bad_value";
        // One rule for app names (protocol::isAppName), the same as registration and login apply.
        QTest::newRow("state app upper case")
            << true << QByteArray(R"({"type":"state","app":"Mail","ui":"closed"})") << "bad_value";
        QTest::newRow("state app leading dot")
            << true << QByteArray(R"({"type":"state","app":".mail","ui":"closed"})") << "bad_value";
        QTest::newRow("state app slash")
            << true << QByteArray(R"({"type":"state","app":"mail/inbox","ui":"closed"})") << "bad_value";
        QTest::newRow("state app non-ascii")
            << true << QByteArray(R"({"type":"state","app":"m\u00e4il","ui":"closed"})") << "bad_value";
        QTest::newRow("deliver app upper case")
            << false << QByteArray(R"({"type":"deliver","id":"1","app":"IM","title":"t","body":"b","createdAt":"2026-01-01T00:00:00Z"})")
            << "bad_value";
        QTest::newRow("state long app")
            << true << QStringLiteral(R"({"type":"state","app":"%1","ui":"closed"})").arg(hugeApp).toUtf8()
            << "too_large";
        QTest::newRow("ack empty id") << true << QByteArray(R"({"type":"ack","id":""})") << "bad_value";
        QTest::newRow("ack numeric id") << true << QByteArray(R"({"type":"ack","id":12})") << "wrong_type";
        QTest::newRow("ack null id") << true << QByteArray(R"({"type":"ack","id":null})") << "wrong_type";
        QTest::newRow("ack no id") << true << QByteArray(R"({"type":"ack"})") << "missing_field";
        QTest::newRow("ack escaped NUL")
            << true << QByteArray(R"({"type":"ack","id":"a\u0000b"})") << "bad_value";
        QTest::newRow("ack newline") << true << QByteArray(R"({"type":"ack","id":"a\nb"})") << "bad_value";
        QTest::newRow("ack long id") << true
                                     << QStringLiteral(R"({"type":"ack","id":"%1"})").arg(hugeId).toUtf8()
                                     << "too_large";
        QTest::newRow("welcome no heartbeat")
            << false << QByteArray(R"({"type":"welcome","protocol":1,"features":[]})") << "missing_field";
        QTest::newRow("welcome heartbeat zero")
            << false << QByteArray(R"({"type":"welcome","protocol":1,"features":[],"heartbeat":0})")
            << "bad_value";
        QTest::newRow("welcome heartbeat huge")
            << false << QByteArray(R"({"type":"welcome","protocol":1,"features":[],"heartbeat":1e12})")
            << "bad_value";
        QTest::newRow("welcome heartbeat negative")
            << false << QByteArray(R"({"type":"welcome","protocol":1,"features":[],"heartbeat":-5})")
            << "bad_value";
        QTest::newRow("deliver no createdAt")
            << false << QByteArray(R"({"type":"deliver","id":"1","app":"im","title":"t","body":"b"})")
            << "missing_field";
        QTest::newRow("deliver bad createdAt")
            << false
            << QByteArray(
                   R"({"type":"deliver","id":"1","app":"im","title":"t","body":"b","createdAt":"yesterday"})")
            << "bad_value";
        QTest::newRow("deliver zoneless createdAt")
            << false
            << QByteArray(
                   R"({"type":"deliver","id":"1","app":"im","title":"t","body":"b","createdAt":"2026-01-31T12:00:00"})")
            << "bad_value";
        QTest::newRow("deliver NUL in body")
            << false
            << QByteArray(
                   R"({"type":"deliver","id":"1","app":"im","title":"t","body":"a\u0000","createdAt":"2026-01-31T12:00:00Z"})")
            << "bad_value";
        QTest::newRow("deliver sender number")
            << false
            << QByteArray(
                   R"({"type":"deliver","id":"1","app":"im","title":"t","body":"b","sender":5,"createdAt":"2026-01-31T12:00:00Z"})")
            << "wrong_type";
        QTest::newRow("deliver long title")
            << false
            << QStringLiteral(
                   R"({"type":"deliver","id":"1","app":"im","title":"%1","body":"b","createdAt":"2026-01-31T12:00:00Z"})")
                   .arg(QString(1025, QLatin1Char('t')))
                   .toUtf8()
            << "too_large";
        QTest::newRow("clear empty") << false << QByteArray(R"({"type":"clear","ids":[]})") << "bad_value";
        QTest::newRow("clear string") << false << QByteArray(R"({"type":"clear","ids":"a"})") << "wrong_type";
        QTest::newRow("clear non-string id")
            << false << QByteArray(R"({"type":"clear","ids":["a",2]})") << "wrong_type";
        QTest::newRow("clear empty id")
            << false << QByteArray(R"({"type":"clear","ids":["a",""]})") << "bad_value";
        QTest::newRow("clear nested")
            << false << QByteArray(R"({"type":"clear","ids":[["a"]]})") << "wrong_type";
        QStringList many;
        for (int i = 0; i < 1001; ++i)
            many << QStringLiteral("\"%1\"").arg(i);
        QTest::newRow("clear too many")
            << false
            << QStringLiteral(R"({"type":"clear","ids":[%1]})").arg(many.join(QLatin1Char(','))).toUtf8()
            << "too_large";
        QTest::newRow("error no code")
            << false << QByteArray(R"({"type":"error","message":"x"})") << "missing_field";

        // Hostile sizes and shapes.
        QTest::newRow("over frame limit")
            << true
            << QStringLiteral(R"({"type":"ping","pad":"%1"})").arg(QString(5000, QLatin1Char('p'))).toUtf8()
            << "too_large";
        QTest::newRow("deeply nested array")
            << true << (QByteArray(100000, '[') + QByteArray(100000, ']')) << "too_large";
        QTest::newRow("deeply nested in field")
            << true << (R"({"type":"ping","x":)" + QByteArray(40, '[') + QByteArray(40, ']') + "}")
            << "too_large";
        QTest::newRow("wide nested huge")
            << true << (R"({"type":"ping","x":[)" + QByteArray(3000, '1').replace("1", "1,") + "1]}")
            << "too_large";
    }

    void refused()
    {
        QFETCH(bool, toServer);
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        const SessionFrameResult result = toServer ? fromServer(text, 4096) : fromClient(text);
        QVERIFY2(!result.isValid(), text.left(200).constData());
        QCOMPARE(result.error.code, code);
        QVERIFY(!result.error.message.isEmpty());
    }

    void appNameRuleIsTheServers()
    {
        // Every name isAppName accepts is a valid state frame's app (as the server reads it), and no other.
        for (const QString &name : {QStringLiteral("mail"), QStringLiteral("0"), QStringLiteral("a.b_c-d"),
                                    QString(64, QLatin1Char('z')), QStringLiteral("Mail"), QStringLiteral("-x"),
                                    QStringLiteral("a b"), QString(65, QLatin1Char('z')), QStringLiteral("a+b")}) {
            const QByteArray text = QJsonDocument(QJsonObject{{"type", "state"}, {"app", name}, {"ui", "closed"}})
                                        .toJson(QJsonDocument::Compact);
            QCOMPARE(fromServer(text).isValid(), isAppName(name));
        }
        const SessionFrameResult upper = fromServer(R"({"type":"state","app":"Mail","ui":"closed"})");
        QVERIFY2(upper.error.message.contains(QStringLiteral("use \"mail\"")), qPrintable(upper.error.message));
    }

    void nestingBracketsInStringsDoNotCount()
    {
        // (Plain escapes here: moc misreads a raw string that starts with a quote.)
        const QByteArray text = "{\"type\":\"ack\",\"id\":\"x\",\"note\":\"" + QByteArray(100, '[') + "\"}";
        QVERIFY(fromServer(text).isValid());
    }

    void sizeLimitIsTheCallers()
    {
        const QByteArray text = R"({"type":"ping"})";
        QVERIFY(SessionFrameParser(FrameDirection::ClientToServer, text.size()).parse(text).isValid());
        const auto r = SessionFrameParser(FrameDirection::ClientToServer, text.size() - 1).parse(text);
        QCOMPARE(r.error.code, QStringLiteral("too_large"));
        // QString input is measured in UTF-8 bytes, as it goes over the wire.
        const QString wide = QStringLiteral(R"({"type":"ack","id":"%1"})").arg(QString(10, QChar(0x4e2d)));
        QCOMPARE(SessionFrameParser(FrameDirection::ClientToServer, wide.size() + 5).parse(wide).error.code,
                 QStringLiteral("too_large"));
        QVERIFY(
            SessionFrameParser(FrameDirection::ClientToServer, wide.toUtf8().size()).parse(wide).isValid());
    }

    void unknownTypeIsNotEchoedWhenHostile()
    {
        const auto r = fromServer("{\"type\":\"\\u001b[31mred\\u001b[0m\"}");
        QCOMPARE(r.error.code, QStringLiteral("unknown_type"));
        QVERIFY(!r.error.message.contains(QChar(0x1b)));
        const auto longType = fromServer(QStringLiteral(R"({"type":"%1"})").arg(QString(200, 'x')).toUtf8());
        QCOMPARE(longType.error.code, QStringLiteral("unknown_type"));
        QVERIFY(longType.error.message.size() < 100);
    }

    void errorFrameFromParseError()
    {
        const auto r = fromServer("{");
        const ErrorFrame frame = ErrorFrame::from(r.error);
        const QJsonObject json = frame.toJson();
        QCOMPARE(json.value("type").toString(), QStringLiteral("error"));
        QCOMPARE(json.value("error").toString(), QStringLiteral("not_json"));
        QVERIFY(!json.value("message").toString().isEmpty());
    }

    void uiStateNames()
    {
        UiState ui;
        QVERIFY(uiStateFromName(QStringLiteral("foreground"), &ui));
        QCOMPARE(ui, UiState::Foreground);
        QVERIFY(!uiStateFromName(QStringLiteral(""), &ui));
        QVERIFY(!uiStateFromName(QStringLiteral("visible"), &ui));
    }
};

QTEST_GUILESS_MAIN(tst_SessionFrames)
#include "tst_sessionframes.moc"

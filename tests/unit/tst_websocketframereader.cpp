// WebSocketFrameReader: RFC 6455 client frames without a socket — masking, the three length
// encodings, fragments, control frames, and the close code every violation gets.
#include "presence/WebSocketFrameReader.h"

#include <QTest>
#include <QtEndian>

using namespace herald;
using Kind = WebSocketFrameReader::Frame::Kind;

namespace {

QByteArray frame(quint8 opcode, const QByteArray &payload, bool fin = true, bool masked = true, quint8 rsv = 0)
{
    QByteArray f;
    f.append(char((fin ? 0x80 : 0) | rsv | opcode));
    const quint8 maskBit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
        f.append(char(maskBit | payload.size()));
    } else if (payload.size() <= 0xFFFF) {
        f.append(char(maskBit | 126));
        char len[2];
        qToBigEndian<quint16>(quint16(payload.size()), len);
        f.append(len, 2);
    } else {
        f.append(char(maskBit | 127));
        char len[8];
        qToBigEndian<quint64>(quint64(payload.size()), len);
        f.append(len, 8);
    }
    const char mask[4] = {0x11, 0x22, 0x33, 0x44};
    if (masked)
        f.append(mask, 4);
    for (int i = 0; i < payload.size(); ++i)
        f.append(masked ? char(payload[i] ^ mask[i % 4]) : payload[i]);
    return f;
}

} // namespace

class TestWebSocketFrameReader : public QObject
{
    Q_OBJECT

private slots:
    void textInEveryLengthEncoding_data()
    {
        QTest::addColumn<int>("size");
        QTest::newRow("7-bit") << 5;
        QTest::newRow("16-bit") << 300;
        QTest::newRow("64-bit") << 70000;
    }
    void textInEveryLengthEncoding()
    {
        QFETCH(int, size);
        WebSocketFrameReader reader(100000);
        const QByteArray text(size, 'x');
        QByteArray buffer = frame(WebSocketFrameReader::OpText, text);
        // Byte by byte first: nothing is consumed until the frame is whole.
        QByteArray partial;
        for (int i = 0; i < buffer.size() - 1; ++i) {
            partial.append(buffer[i]);
            QCOMPARE(reader.next(partial).kind, Kind::NeedMore);
            QCOMPARE(partial.size(), i + 1);
        }
        const auto f = reader.next(buffer);
        QCOMPARE(f.kind, Kind::Text);
        QCOMPARE(f.payload, text);
        QVERIFY(buffer.isEmpty());
    }

    void fragmentsWithAPingBetween()
    {
        WebSocketFrameReader reader(1024);
        QByteArray buffer = frame(WebSocketFrameReader::OpText, "{\"type\":", false) +
                            frame(WebSocketFrameReader::OpPing, "p") +
                            frame(WebSocketFrameReader::OpContinuation, "\"ping\"}");
        QCOMPARE(reader.next(buffer).kind, Kind::Fragment);
        const auto ping = reader.next(buffer);
        QCOMPARE(ping.kind, Kind::Ping);
        QCOMPARE(ping.payload, QByteArray("p"));
        const auto text = reader.next(buffer);
        QCOMPARE(text.kind, Kind::Text);
        QCOMPARE(text.payload, QByteArray("{\"type\":\"ping\"}"));
    }

    void closeCodes()
    {
        WebSocketFrameReader reader(1024);
        QByteArray buffer = frame(WebSocketFrameReader::OpClose, QByteArray("\x0f\xa0", 2) + "bye");
        auto f = reader.next(buffer);
        QCOMPARE(f.kind, Kind::Close);
        QCOMPARE(f.code, quint16(4000));
        buffer = frame(WebSocketFrameReader::OpClose, {});
        QCOMPARE(reader.next(buffer).code, quint16(1000));
        buffer = frame(WebSocketFrameReader::OpClose, QByteArray("\x03\xed", 2)); // 1005 must never be sent
        QCOMPARE(reader.next(buffer).code, quint16(1000));
    }

    void violations_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("code");
        QTest::newRow("unmasked") << frame(WebSocketFrameReader::OpText, "hi", true, false) << 1002;
        QTest::newRow("reserved bit") << frame(WebSocketFrameReader::OpText, "hi", true, true, 0x40) << 1002;
        QTest::newRow("long ping") << frame(WebSocketFrameReader::OpPing, QByteArray(126, 'p')) << 1002;
        QTest::newRow("fragmented ping") << frame(WebSocketFrameReader::OpPing, "p", false) << 1002;
        QTest::newRow("binary") << frame(WebSocketFrameReader::OpBinary, "b") << 1003;
        QTest::newRow("continuation first") << frame(WebSocketFrameReader::OpContinuation, "c") << 1002;
        QTest::newRow("text inside text") << frame(WebSocketFrameReader::OpText, "a", false) +
                                                 frame(WebSocketFrameReader::OpText, "b")
                                          << 1002;
        QTest::newRow("invalid UTF-8") << frame(WebSocketFrameReader::OpText, "\xff\xfe") << 1007;
        QTest::newRow("over the limit") << frame(WebSocketFrameReader::OpText, QByteArray(101, 'x')) << 1009;
        QTest::newRow("fragments over the limit") << frame(WebSocketFrameReader::OpText, QByteArray(60, 'x'), false) +
                                                         frame(WebSocketFrameReader::OpContinuation, QByteArray(60, 'x'))
                                                  << 1009;
        QTest::newRow("unknown opcode") << frame(0x3, "?") << 1002;
    }
    void violations()
    {
        QFETCH(QByteArray, bytes);
        WebSocketFrameReader reader(100);
        WebSocketFrameReader::Frame f;
        do {
            f = reader.next(bytes);
        } while (f.kind == Kind::Fragment);
        QCOMPARE(f.kind, Kind::Error);
        QTEST(int(f.code), "code");
        QVERIFY(!f.reason.isEmpty());
    }

    void sizeIsJudgedFromTheHeaderAlone()
    {
        // A 64-bit length announcing 1 GiB is refused before a single payload byte arrives.
        WebSocketFrameReader reader(1024);
        QByteArray header("\x81\xff", 2);
        char len[8];
        qToBigEndian<quint64>(quint64(1) << 30, len);
        header.append(len, 8);
        const auto f = reader.next(header);
        QCOMPARE(f.kind, Kind::Error);
        QCOMPARE(f.code, quint16(1009));
    }
};

QTEST_GUILESS_MAIN(TestWebSocketFrameReader)
#include "tst_websocketframereader.moc"

// ProviderFactory::runProviderTest, the logic of `herald-server provider test`, against the stand-ins.
#include <QTcpServer>
#include <QTest>
#include <QTextStream>

#include "ApnsStandin.h"
#include "TestPki.h"
#include "push/ProviderFactory.h"

using namespace herald;
using namespace herald::standin;

class tst_ProviderTestCommand : public QObject
{
    Q_OBJECT
private:
    TestPki::Certificate m_tls;
    QByteArray m_p8;

    ProviderSettings settings(quint16 port) const
    {
        ProviderSettings s;
        s.section = QStringLiteral("push.apns");
        s.host = QStringLiteral("127.0.0.1");
        s.port = port;
        s.caCertificates = QSslCertificate::fromData(m_tls.certPem);
        s.teamId = QStringLiteral("TEAM000001");
        s.keyId = QStringLiteral("KEY0000001");
        s.signingKey = PrivateKey::fromPem(m_p8);
        s.defaultTopic = QStringLiteral("com.example.herald");
        return s;
    }
    ApnsStandin::Options options() const
    {
        ApnsStandin::Options o;
        o.certPem = m_tls.certPem;
        o.keyPem = m_tls.keyPem;
        o.tokenPublicKeyPem = TestPki::publicKeyOf(m_p8);
        return o;
    }

private slots:
    void initTestCase()
    {
        m_tls = TestPki::selfSigned();
        m_p8 = TestPki::ecP256PrivateKey();
    }

    void deliveredPrintsVerdictAndReturnsZero()
    {
        ApnsStandin standin(options());
        QVERIFY(standin.listen());
        QString text;
        QTextStream out(&text);
        const QString token(64, QLatin1Char('a'));
        QCOMPARE(ProviderFactory::runProviderTest(settings(standin.port()), token, out, 10000), 0);
        QVERIFY2(text.contains(QStringLiteral("verdict: Delivered (HTTP 200)")), qPrintable(text));
        QVERIFY2(!text.contains(token), "the full device token must not be printed");
        QCOMPARE(standin.deliveredTotal(), 1);
    }

    void deadTokenPrintsReason()
    {
        ApnsStandin standin(options());
        QVERIFY(standin.listen());
        const QString token(64, QLatin1Char('b'));
        ApnsStandin::Behaviour b;
        b.status = 410;
        b.reason = QStringLiteral("Unregistered");
        b.timestamp = QDateTime::currentMSecsSinceEpoch();
        standin.setBehaviour(token, b);
        QString text;
        QTextStream out(&text);
        QCOMPARE(ProviderFactory::runProviderTest(settings(standin.port()), token, out, 10000), 1);
        QVERIFY2(text.contains(QStringLiteral("verdict: TokenDead (HTTP 410) reason: Unregistered")),
                 qPrintable(text));
    }

    void wrongKeyPrintsAlarm()
    {
        ApnsStandin::Options o = options();
        o.tokenPublicKeyPem = TestPki::publicKeyOf(TestPki::ecP256PrivateKey());
        ApnsStandin standin(o);
        QVERIFY(standin.listen());
        QString text;
        QTextStream out(&text);
        QCOMPARE(ProviderFactory::runProviderTest(settings(standin.port()), QString(64, 'c'), out, 10000), 1);
        QVERIFY2(text.contains(QStringLiteral("verdict: ProviderAuthFailed")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("alarm: ")), qPrintable(text));
    }

    void unreachablePrintsRetryLater()
    {
        QTcpServer s;
        QVERIFY(s.listen(QHostAddress::LocalHost));
        const quint16 port = s.serverPort();
        s.close();
        QString text;
        QTextStream out(&text);
        QCOMPARE(ProviderFactory::runProviderTest(settings(port), QString(64, 'd'), out, 10000), 1);
        QVERIFY2(text.contains(QStringLiteral("verdict: RetryLater")), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(tst_ProviderTestCommand)
#include "tst_ProviderTestCommand.moc"

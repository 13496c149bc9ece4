// The client's side of a push: finding the notification id in a push uri (both forms, and
// hostile ones refused).
#include <QTest>

#include "PushLink.h"

using namespace herald;

class tst_ClientPush : public QObject
{
    Q_OBJECT
private slots:
    void notificationIdFromUri_data()
    {
        QTest::addColumn<QString>("uri");
        QTest::addColumn<QString>("id");
        const QString id = QStringLiteral("0190f3a2-7c1e-7d2b-9a51-3e0c6f1b2a4d");
        QTest::newRow("opaque") << QStringLiteral("herald://n/") + id << id;
        QTest::newRow("named app") << QStringLiteral("herald://open/mail/") + id << id;
        QTest::newRow("dotted app") << QStringLiteral("herald://open/corp.mail-2/") + id << id;
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("other scheme") << QStringLiteral("https://n/") + id << QString();
        QTest::newRow("custom launch template") << QStringLiteral("outlook://open?id=") + id << QString();
        QTest::newRow("no id") << QStringLiteral("herald://n/") << QString();
        QTest::newRow("path traversal") << QStringLiteral("herald://n/../admin/v1/users") << QString();
        QTest::newRow("extra segment") << QStringLiteral("herald://n/") + id + QStringLiteral("/x") << QString();
        QTest::newRow("query") << QStringLiteral("herald://n/") + id + QStringLiteral("?a=b") << QString();
        QTest::newRow("percent") << QStringLiteral("herald://n/%2e%2e") << QString();
        QTest::newRow("trailing newline") << QStringLiteral("herald://n/") + id + QLatin1Char('\n') << QString();
        QTest::newRow("upper-case app") << QStringLiteral("herald://open/Mail/") + id << QString();
        QTest::newRow("too long") << QStringLiteral("herald://n/") + QString(5000, QLatin1Char('a')) << QString();
        QTest::newRow("nul") << QStringLiteral("herald://n/ab") + QChar(0) + QStringLiteral("cd") << QString();
    }
    void notificationIdFromUri()
    {
        QFETCH(QString, uri);
        QFETCH(QString, id);
        QCOMPARE(PushLink::notificationId(uri), id);
    }
};

QTEST_GUILESS_MAIN(tst_ClientPush)
#include "tst_clientpush.moc"

// The node name of a data folder (app/NodeName): made once and kept, the same on every start;
// two folders on one host get two names; a file an operator wrote is taken as it is if it is a
// name, and anything else (binary, oversized, several lines, unreadable) is a clear error that
// names the file and leaves it alone.
#include "app/NodeName.h"

#include <QDir>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald;

class tst_NodeName : public QObject
{
    Q_OBJECT

private:
    static void write(const QString &path, const QByteArray &bytes)
    {
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        QCOMPARE(file.write(bytes), bytes.size());
    }
    static QByteArray read(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
    }

private Q_SLOTS:
    void madeOnceAndKept()
    {
        QTemporaryDir dir;
        QString error;
        const auto first = loadOrCreateNodeName(dir.path(), &error);
        QVERIFY2(first, qPrintable(error));
        QVERIFY2(QRegularExpression(QStringLiteral("^[A-Za-z0-9.-]+-[0-9a-f]{6}$")).match(*first).hasMatch(),
                 qPrintable(*first));
        QCOMPARE(read(dir.filePath(QStringLiteral("node-name"))), first->toUtf8() + '\n');
        QCOMPARE(*loadOrCreateNodeName(dir.path(), &error), *first); // a restart is the same node

        QTemporaryDir other; // a second server on this host
        const auto second = loadOrCreateNodeName(other.path(), &error);
        QVERIFY(second);
        QVERIFY(*second != *first);
    }

    void anOperatorsNameIsTaken()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("node-name"));
        write(path, "  berlin-01.prod_a \r\n");
        QString error;
        QCOMPARE(*loadOrCreateNodeName(dir.path(), &error), QStringLiteral("berlin-01.prod_a"));
        write(path, QByteArray(100, 'n'));
        QCOMPARE(loadOrCreateNodeName(dir.path(), &error)->size(), 100);
    }

    void hostileFiles_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("blank") << QByteArray(" \n\t\n");
        QTest::newRow("101 characters") << QByteArray(101, 'n');
        QTest::newRow("oversized") << QByteArray(10 * 1024 * 1024, 'n');
        QTest::newRow("two lines") << QByteArray("a\nb\n");
        QTest::newRow("space inside") << QByteArray("node one");
        QTest::newRow("NUL") << QByteArray("node\0one", 8);
        QTest::newRow("not UTF-8") << QByteArray("\xff\xfe\x00n", 4);
        QTest::newRow("SQL") << QByteArray("x'; DROP TABLE nodes; --");
        QTest::newRow("non-ASCII letters") << QByteArray("n\xc3\xb6" "de");
    }

    void hostileFiles()
    {
        QFETCH(QByteArray, contents);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("node-name"));
        write(path, contents);
        QString error;
        QVERIFY(!loadOrCreateNodeName(dir.path(), &error));
        QVERIFY2(error.startsWith(path + QStringLiteral(": a node name is")), qPrintable(error));
        QCOMPARE(read(path), contents); // left as it was
    }

    void aFolderInsteadOfAFile()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkdir(QStringLiteral("node-name")));
        QString error;
        QVERIFY(!loadOrCreateNodeName(dir.path(), &error));
        QVERIFY2(error.contains(QLatin1String("node-name")), qPrintable(error));
    }

    void aFolderThatIsNotThere()
    {
        QString error;
        QVERIFY(!loadOrCreateNodeName(QStringLiteral("/nonexistent/herald-data"), &error));
        QVERIFY2(error.startsWith(QStringLiteral("/nonexistent/herald-data/node-name: cannot write")), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(tst_NodeName)
#include "tst_nodename.moc"

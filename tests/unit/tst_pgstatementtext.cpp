// PgStatementText: the SQL resources' ":name" parameters turned into libpq's "$n", and what must be
// left alone while doing it (quoted text and identifiers, comments, casts, bare colons), including
// text built to confuse the rewrite.
#include "storage/postgresql/PgStatementText.h"

#include <QtTest>

using namespace herald;

class tst_PgStatementText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rewrite_data()
    {
        QTest::addColumn<QString>("named");
        QTest::addColumn<QString>("positional");
        QTest::addColumn<QStringList>("parameters");

        QTest::newRow("none") << QString("SELECT 1") << QString("SELECT 1") << QStringList();
        QTest::newRow("order of first use")
            << QString("UPDATE t SET a = :a, b = :b WHERE id = :id") << QString("UPDATE t SET a = $1, b = $2 WHERE id = $3")
            << QStringList{"a", "b", "id"};
        QTest::newRow("a name used twice is one parameter")
            << QString("WHERE (:x = 0 OR col = :x) AND y = :y") << QString("WHERE ($1 = 0 OR col = $1) AND y = $2")
            << QStringList{"x", "y"};
        QTest::newRow("prefix names stay apart")
            << QString("VALUES (:now, :now_ms, :no)") << QString("VALUES ($1, $2, $3)") << QStringList{"now", "now_ms", "no"};
        QTest::newRow("casts are not parameters")
            << QString("SELECT :v::bigint, x::text") << QString("SELECT $1::bigint, x::text") << QStringList{"v"};
        QTest::newRow("quoted text is left alone")
            << QString("WHERE a = ':not' AND b = 'it''s :no' AND c = :yes") << QString("WHERE a = ':not' AND b = 'it''s :no' AND c = $1")
            << QStringList{"yes"};
        QTest::newRow("quoted identifiers are left alone")
            << QString("SELECT \":odd\"\"name\" FROM t WHERE k = :k") << QString("SELECT \":odd\"\"name\" FROM t WHERE k = $1")
            << QStringList{"k"};
        QTest::newRow("comments are left alone")
            << QString("-- uses :nothing here\nSELECT :a") << QString("-- uses :nothing here\nSELECT $1") << QStringList{"a"};
        QTest::newRow("a bare colon") << QString("SELECT ': ' || :a || ':'") << QString("SELECT ': ' || $1 || ':'") << QStringList{"a"};
        QTest::newRow("colon before a digit") << QString("SELECT a[1:2], :p") << QString("SELECT a[1:2], $1") << QStringList{"p"};
        QTest::newRow("colon at the end") << QString("SELECT :") << QString("SELECT :") << QStringList();
        QTest::newRow("unterminated quote stays as it is")
            << QString("SELECT 'open :x") << QString("SELECT 'open :x") << QStringList();
        QTest::newRow("dollar text passes through")
            << QString("SELECT $$ body $$, :a") << QString("SELECT $$ body $$, $1") << QStringList{"a"};
        QTest::newRow("non-ASCII names")
            << QString::fromUtf8("SELECT :naïve") << QString("SELECT $1") << QStringList{QString::fromUtf8("naïve")};
    }

    void rewrite()
    {
        QFETCH(QString, named);
        QFETCH(QString, positional);
        QFETCH(QStringList, parameters);
        const PgStatementText text = PgStatementText::fromNamed(named);
        QCOMPARE(text.sql, positional);
        QCOMPARE(text.parameters, parameters);
    }

    void manyParameters()
    {
        QString sql = QStringLiteral("SELECT ");
        for (int i = 0; i < 500; ++i)
            sql += QStringLiteral(":p%1, :p%1, ").arg(i);
        const PgStatementText text = PgStatementText::fromNamed(sql);
        QCOMPARE(text.parameters.size(), 500);
        QVERIFY(text.sql.contains(QStringLiteral("$500, $500")));
    }

    void hugeInputStaysLinear()
    {
        // A megabyte of quotes and colons: one pass, nothing lost.
        const QString junk = QString(QStringLiteral("'':")).repeated(350'000);
        const PgStatementText text = PgStatementText::fromNamed(junk);
        QCOMPARE(text.sql, junk);
        QVERIFY(text.parameters.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_PgStatementText)
#include "tst_pgstatementtext.moc"

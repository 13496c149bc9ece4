// Rolling upgrades (issue 19): during an upgrade, nodes of version N keep running on the schema a
// node of version N+1 has just upgraded. That holds only while every schema step since the
// cluster began (version 13, the nodes table) is additive, and while no statement depends on
// which columns a table has beyond those it names. This test reads the SQL each engine embeds and
// holds both rules; its own bad examples prove it can fail.
#include "storage/SqlResources.h"

#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QtTest>

using namespace herald;

namespace {

constexpr int FirstClusterSchema = 13;

QString normalized(const QString &statement)
{
    return statement.simplified().toUpper();
}

// What in an upgrade step would break a node of the previous version still running on it.
QStringList upgradeProblems(const QStringList &statements)
{
    static const QRegularExpression allowed(QStringLiteral(
        "^(CREATE TABLE |CREATE INDEX |CREATE (OR REPLACE )?FUNCTION |CREATE TRIGGER |DROP TRIGGER |"
        "ALTER TABLE \\S+ ADD COLUMN |INSERT INTO \\S+ \\(|UPDATE )"));
    static const QRegularExpression triggerName(QStringLiteral("^(?:CREATE|DROP) TRIGGER (\\S+)"));
    static const QRegularExpression notNull(QStringLiteral("\\bNOT NULL\\b"));
    static const QRegularExpression withDefault(QStringLiteral("\\bDEFAULT\\b"));
    QStringList problems;
    QStringList dropped, created;
    for (const QString &raw : statements) {
        const QString s = normalized(raw);
        if (!allowed.match(s).hasMatch()) {
            problems.append(QStringLiteral("not additive: ") + s.left(80));
            continue;
        }
        if (s.startsWith(QLatin1String("ALTER TABLE")) && notNull.match(s).hasMatch() && !withDefault.match(s).hasMatch())
            problems.append(QStringLiteral("a NOT NULL column without a default fails the old nodes' inserts: ") + s.left(80));
        const auto trigger = triggerName.match(s);
        if (trigger.hasMatch())
            (s.startsWith(QLatin1String("DROP")) ? dropped : created).append(trigger.captured(1).remove(QLatin1Char(';')));
    }
    // A trigger may be replaced (dropped and created again under its name), not removed.
    for (const QString &name : std::as_const(dropped))
        if (!created.contains(name))
            problems.append(QStringLiteral("trigger dropped and not created again: ") + name);
    return problems;
}

// What in a statement would change meaning when a table gains a column.
QStringList statementProblems(const QString &name, const QString &text)
{
    static const QRegularExpression star(QStringLiteral("\\b(SELECT|RETURNING)\\s+(\\w+\\.)?\\*"));
    static const QRegularExpression positionalInsert(QStringLiteral("\\bINSERT INTO \\S+ (VALUES|SELECT)\\b"));
    const QString s = normalized(text);
    QStringList problems;
    if (star.match(s).hasMatch())
        problems.append(name + QStringLiteral(": reads * (name the columns)"));
    if (positionalInsert.match(s).hasMatch())
        problems.append(name + QStringLiteral(": inserts without a column list"));
    return problems;
}

} // namespace

class tst_SchemaCompat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void engines_data()
    {
        QTest::addColumn<QString>("engine");
        QTest::newRow("sqlite") << QStringLiteral("sqlite");
        QTest::newRow("postgresql") << QStringLiteral("postgresql");
    }

    void upgradesSinceTheClusterAreAdditive_data() { engines_data(); }
    void upgradesSinceTheClusterAreAdditive()
    {
        QFETCH(QString, engine);
        const SqlResources sql(engine);
        int checked = 0;
        for (const SqlResources::Upgrade &upgrade : sql.upgrades()) {
            if (upgrade.version < FirstClusterSchema)
                continue;
            const QStringList problems = upgradeProblems(upgrade.statements);
            QVERIFY2(problems.isEmpty(), qPrintable(upgrade.name + QStringLiteral(": ") + problems.join(QStringLiteral("; "))));
            ++checked;
        }
        QVERIFY(checked >= 3); // 013, 014/015, 017 at least: the rule is not checking nothing
    }

    void statementsNameTheirColumns_data() { engines_data(); }
    void statementsNameTheirColumns()
    {
        QFETCH(QString, engine);
        QStringList problems;
        int files = 0;
        QDirIterator it(QStringLiteral(":/sql/") + engine, {QStringLiteral("*.sql")}, QDir::Files);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString name = QFileInfo(path).completeBaseName();
            if (name.startsWith(QLatin1String("setup_")))
                continue; // the schema itself (upgrade/ is a folder the iterator does not enter)
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadOnly));
            problems += statementProblems(name, QString::fromUtf8(f.readAll()));
            ++files;
        }
        QVERIFY(files > 50);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    // The rules themselves, on what they must refuse and let through.
    void theRulesCatchBreakingChanges_data()
    {
        QTest::addColumn<QString>("script");
        QTest::addColumn<bool>("compatible");
        QTest::newRow("new table") << "CREATE TABLE t (a INTEGER);" << true;
        QTest::newRow("nullable column") << "ALTER TABLE t ADD COLUMN c TEXT;" << true;
        QTest::newRow("column with default") << "ALTER TABLE t ADD COLUMN c TEXT NOT NULL DEFAULT '';" << true;
        QTest::newRow("trigger replaced") << "DROP TRIGGER x ON t;\nCREATE TRIGGER x AFTER INSERT ON t FOR EACH ROW "
                                             "EXECUTE FUNCTION f();"
                                          << true;
        QTest::newRow("backfill") << "UPDATE t SET c = 'x';" << true;
        QTest::newRow("drop table") << "DROP TABLE t;" << false;
        QTest::newRow("drop column") << "ALTER TABLE t DROP COLUMN c;" << false;
        QTest::newRow("rename") << "ALTER TABLE t RENAME TO u;" << false;
        QTest::newRow("rename column") << "ALTER TABLE t RENAME COLUMN a TO b;" << false;
        QTest::newRow("retype") << "ALTER TABLE t ALTER COLUMN a TYPE BIGINT;" << false;
        QTest::newRow("not null without default") << "ALTER TABLE t ADD COLUMN c TEXT NOT NULL;" << false;
        QTest::newRow("unique index") << "CREATE UNIQUE INDEX u ON t (a);" << false;
        QTest::newRow("drop index") << "DROP INDEX i;" << false;
        QTest::newRow("trigger removed") << "DROP TRIGGER x ON t;" << false;
        QTest::newRow("drop function") << "DROP FUNCTION f;" << false;
    }
    void theRulesCatchBreakingChanges()
    {
        QFETCH(QString, script);
        QFETCH(bool, compatible);
        QCOMPARE(upgradeProblems(SqlResources::splitStatements(script)).isEmpty(), compatible);
    }

    void theStatementRulesCatchUnnamedColumns()
    {
        QVERIFY(statementProblems(QStringLiteral("a"), QStringLiteral("SELECT * FROM t")).size() == 1);
        QVERIFY(statementProblems(QStringLiteral("b"), QStringLiteral("SELECT l.* FROM t l")).size() == 1);
        QVERIFY(statementProblems(QStringLiteral("c"), QStringLiteral("UPDATE t SET a = 1 RETURNING *")).size() == 1);
        QVERIFY(statementProblems(QStringLiteral("d"), QStringLiteral("INSERT INTO t VALUES (1)")).size() == 1);
        QVERIFY(statementProblems(QStringLiteral("e"), QStringLiteral("INSERT INTO t (a) VALUES (1)")).isEmpty());
        QVERIFY(statementProblems(QStringLiteral("f"), QStringLiteral("SELECT count(*) FROM t")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_SchemaCompat)
#include "tst_schemacompat.moc"

// The documentation a new user reads first must render and must not send them looking for files
// that are gone: in README.md and docs/*.md every fenced code block is closed (and none is closed
// too early, which shows as a fence with a language inside a block), and every repository path
// named in backticks or in a relative link exists.
#include "TestPaths.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTest>

using namespace herald::test;

namespace {

// Top-level folders of the repository: a backticked word that starts with one of these is a path
// into it. Anything else in backticks (options, commands, `<data-dir>/…`) is not checked.
const QStringList RepositoryFolders{"bench/",   "client/",    "cmake/",  "common/",  "console/",      "docs/",
                                   "resources/", "scripts/", "server/", "tests/", "translations/"};

struct Line
{
    int number;
    QString text;
};

QList<Line> readLines(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<Line> lines;
    int number = 0;
    for (const QString &text : QString::fromUtf8(file.readAll()).split(QLatin1Char('\n')))
        lines.append({++number, text});
    return lines;
}

// A fence line: up to three spaces, three or more backticks, then an optional info string.
bool fence(const QString &line, QString *info)
{
    static const QRegularExpression re(QStringLiteral(R"(^ {0,3}(`{3,})\s*([^`]*)$)"));
    const auto m = re.match(line);
    if (!m.hasMatch())
        return false;
    *info = m.captured(2).trimmed();
    return true;
}

// Problems with the fences of one document, as "file:line: what".
QStringList fenceProblems(const QString &name, const QList<Line> &lines)
{
    QStringList problems;
    int openedAt = 0;
    for (const Line &line : lines) {
        QString info;
        if (!fence(line.text, &info))
            continue;
        if (!openedAt) {
            openedAt = line.number;
        } else if (info.isEmpty()) {
            openedAt = 0; // a closing fence has no info string
        } else {
            problems << QStringLiteral("%1:%2: a fence with a language (\"%3\") inside the block opened at line %4: "
                                       "that block was closed too early or not at all")
                            .arg(name)
                            .arg(line.number)
                            .arg(info)
                            .arg(openedAt);
        }
    }
    if (openedAt)
        problems << QStringLiteral("%1:%2: code block never closed").arg(name).arg(openedAt);
    return problems;
}

// Text outside code blocks, where paths are names the reader is told to look at.
QList<Line> prose(const QList<Line> &lines)
{
    QList<Line> out;
    bool inBlock = false;
    for (const Line &line : lines) {
        QString info;
        if (fence(line.text, &info)) {
            inBlock = !inBlock;
            continue;
        }
        if (!inBlock)
            out.append(line);
    }
    return out;
}

// A class or test is often named by its path without the extension (`server/api/JsonFields`).
bool existsInRepository(const QDir &root, const QString &path)
{
    if (QFileInfo::exists(root.filePath(path)))
        return true;
    for (const char *ext : {".cpp", ".h", ".md", ".sh", ".py"}) {
        if (QFileInfo::exists(root.filePath(path + QLatin1String(ext))))
            return true;
    }
    return false;
}

QStringList pathProblems(const QDir &root, const QString &docPath, const QList<Line> &lines)
{
    static const QRegularExpression code(QStringLiteral("`([^`\\s]+)`"));
    static const QRegularExpression link(QStringLiteral(R"(\]\(([^)\s]+)\))"));
    const QString name = root.relativeFilePath(docPath);
    const QDir docDir = QFileInfo(docPath).dir();
    QStringList problems;
    for (const Line &line : prose(lines)) {
        for (auto it = code.globalMatch(line.text); it.hasNext();) {
            const QString word = it.next().captured(1);
            const bool repositoryPath = std::any_of(RepositoryFolders.begin(), RepositoryFolders.end(),
                                                    [&](const QString &f) { return word.startsWith(f); });
            if (!repositoryPath || word.contains(QRegularExpression(QStringLiteral("[<>*{}$]"))))
                continue;
            if (!existsInRepository(root, word))
                problems << QStringLiteral("%1:%2: `%3` does not exist").arg(name).arg(line.number).arg(word);
        }
        for (auto it = link.globalMatch(line.text); it.hasNext();) {
            QString target = it.next().captured(1);
            if (target.contains(QLatin1String("://")) || target.startsWith(QLatin1String("mailto:"))
                || target.startsWith(QLatin1Char('#')))
                continue;
            target = target.section(QLatin1Char('#'), 0, 0);
            const QString resolved = QDir::cleanPath(docDir.filePath(target));
            // Links out of the repository (../shared) are not the repository's to check.
            if (root.relativeFilePath(resolved).startsWith(QLatin1String("..")))
                continue;
            if (!QFileInfo::exists(resolved))
                problems << QStringLiteral("%1:%2: link to %3, which does not exist").arg(name).arg(line.number).arg(target);
        }
    }
    return problems;
}

QStringList documents(const QDir &root)
{
    QStringList paths{root.filePath(QStringLiteral("README.md"))};
    const QDir docs(root.filePath(QStringLiteral("docs")));
    for (const QString &file : docs.entryList({QStringLiteral("*.md")}, QDir::Files, QDir::Name))
        paths << docs.filePath(file);
    return paths;
}

} // namespace

class tst_Docs : public QObject
{
    Q_OBJECT

private:
    QDir m_root;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(!sourceDir().isEmpty(), "HERALD_SOURCE_DIR is not set");
        m_root = QDir(sourceDir());
        QVERIFY(QFileInfo::exists(m_root.filePath(QStringLiteral("README.md"))));
        QVERIFY(documents(m_root).size() > 2);
    }

    // The checks themselves catch what they are for.
    void checksCatchTheirCases()
    {
        const QList<Line> early{{1, "```sh"}, {2, "a"}, {3, "```"}, {4, "b"}, {5, "```"}, {6, "```sh"}, {7, "```"}};
        QCOMPARE(fenceProblems("x", early).size(), 1);
        QVERIFY(fenceProblems("x", early).first().startsWith("x:6:"));
        const QList<Line> open{{1, "```"}, {2, "a"}};
        QCOMPARE(fenceProblems("x", open), QStringList{"x:1: code block never closed"});
        const QList<Line> fine{{1, "```sh"}, {2, "```"}, {3, "```"}, {4, "diagram"}, {5, "```"}};
        QVERIFY(fenceProblems("x", fine).isEmpty());
        const QList<Line> paths{{1, "see `server/nowhere/` and `server/api/JsonFields`, `--listen`, `<data-dir>/x`"},
                                {2, "[gone](docs/gone.md) [web](https://example.com) [self](#top)"},
                                {3, "```"},
                                {4, "server/in/a/block/is/a/command"},
                                {5, "```"}};
        const QStringList found = pathProblems(m_root, m_root.filePath("README.md"), paths);
        QCOMPARE(found.size(), 2);
        QVERIFY(found.at(0).contains("`server/nowhere/`"));
        QVERIFY(found.at(1).contains("docs/gone.md"));
    }

    void fencesAreClosed_data()
    {
        QTest::addColumn<QString>("path");
        for (const QString &path : documents(m_root))
            QTest::newRow(qPrintable(m_root.relativeFilePath(path))) << path;
    }

    void fencesAreClosed()
    {
        QFETCH(QString, path);
        const QList<Line> lines = readLines(path);
        QVERIFY(!lines.isEmpty());
        const QStringList problems = fenceProblems(m_root.relativeFilePath(path), lines);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }

    void namedPathsExist_data() { fencesAreClosed_data(); }

    void namedPathsExist()
    {
        QFETCH(QString, path);
        const QStringList problems = pathProblems(m_root, path, readLines(path));
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(QLatin1Char('\n'))));
    }
};

QTEST_GUILESS_MAIN(tst_Docs)
#include "tst_docs.moc"

// What `cmake --install` lays out and what `cpack -G DEB` packs, checked from the outside: the
// staged tree (binaries, translations, the unit, /etc/herald/herald.ini that the server accepts),
// `systemd-analyze verify` on the installed unit, and the .deb's contents and control data
// (dpkg-deb -c / -f / -e): dependencies, conffiles, maintainer scripts. lintian runs when present.
#include "TestPaths.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace herald::test;

namespace {

struct Run
{
    int exitCode = -1;
    QByteArray out;
};

Run run(const QString &program, const QStringList &args, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment(),
        const QString &workDir = {})
{
    QProcess p;
    p.setProcessEnvironment(env);
    p.setProcessChannelMode(QProcess::MergedChannels);
    if (!workDir.isEmpty())
        p.setWorkingDirectory(workDir);
    p.start(program, args);
    Run r;
    if (!p.waitForFinished(240000)) {
        p.kill();
        p.waitForFinished();
        r.out = "(timed out) " + p.readAll();
        return r;
    }
    r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = p.readAll();
    return r;
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

} // namespace

class tst_Packaging : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_buildDir;
    QString m_stage;

private Q_SLOTS:
    void initTestCase()
    {
        m_buildDir = envPath("HERALD_BUILD_DIR");
        QVERIFY2(QFile::exists(m_buildDir + QStringLiteral("/CPackConfig.cmake")), qPrintable(m_buildDir));
        QVERIFY(m_dir.isValid());
        m_stage = m_dir.filePath(QStringLiteral("stage"));
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DESTDIR"), m_stage);
        const Run install = run(envPath("HERALD_CMAKE"), {QStringLiteral("--install"), m_buildDir, QStringLiteral("--prefix"),
                                                          QStringLiteral("/usr")}, env);
        QVERIFY2(install.exitCode == 0, install.out.constData());
    }

    void installTree()
    {
        for (const char *path : {"usr/bin/herald-server", "usr/bin/herald-term", "usr/lib/systemd/system/herald.service",
                                 "etc/herald/herald.ini", "usr/share/doc/herald-server/README.md",
                                 "usr/share/doc/herald-server/architecture.md",
                                 // the server's push texts (embedded too; these are for translators)
                                 "usr/share/herald/translations/herald_server_zh_TW.qm"})
            QVERIFY2(QFile::exists(m_stage + QLatin1Char('/') + QLatin1String(path)), path);
        QVERIFY(QFileInfo(m_stage + QStringLiteral("/usr/bin/herald-server")).isExecutable());
        if (QFile::exists(m_buildDir + QStringLiteral("/console/herald-console"))) {
            QVERIFY(QFile::exists(m_stage + QStringLiteral("/usr/bin/herald-console")));
            QVERIFY(QFile::exists(m_stage + QStringLiteral("/usr/share/herald/translations/herald_console_zh_CN.qm")));
        }
        // Nothing lands outside /usr and /etc (no /usr/local, no build paths).
        QDirIterator it(m_stage, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString rel = QDir(m_stage).relativeFilePath(it.next());
            QVERIFY2(rel.startsWith(QLatin1String("usr/")) || rel.startsWith(QLatin1String("etc/herald/")), qPrintable(rel));
            QVERIFY2(!rel.startsWith(QLatin1String("usr/local")), qPrintable(rel));
        }
    }

    void unitFile()
    {
        const QByteArray unit = readFile(m_stage + QStringLiteral("/usr/lib/systemd/system/herald.service"));
        for (const char *line : {"Type=notify\n", "NotifyAccess=main\n", "WatchdogSec=30\n", "User=herald\n", "Group=herald\n",
                                 "StateDirectory=herald\n", "ConfigurationDirectory=herald\n",
                                 "ExecReload=/bin/kill -HUP $MAINPID\n", "NoNewPrivileges=yes\n", "ProtectSystem=strict\n",
                                 "CapabilityBoundingSet=\n", "ExecStart=/usr/bin/herald-server --foreground --config "
                                 "${CONFIGURATION_DIRECTORY}/herald.ini --data-dir ${STATE_DIRECTORY}\n"})
            QVERIFY2(unit.contains(line), line);
        QVERIFY(!unit.contains('@')); // every template variable was replaced
    }

    void systemdAcceptsTheUnit()
    {
        const QString analyze = QStandardPaths::findExecutable(QStringLiteral("systemd-analyze"));
        if (analyze.isEmpty())
            QSKIP("systemd-analyze is not installed (no systemd on this machine)");
        // verify insists that ExecStart exists; the staged binary stands in for /usr/bin/herald-server.
        QByteArray unit = readFile(m_stage + QStringLiteral("/usr/lib/systemd/system/herald.service"));
        unit.replace("ExecStart=/usr/bin/herald-server", "ExecStart=" + QFile::encodeName(m_stage) + "/usr/bin/herald-server");
        const QString copy = m_dir.filePath(QStringLiteral("herald.service"));
        QFile f(copy);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(unit);
        f.close();
        const Run verify = run(analyze, {QStringLiteral("verify"), copy});
        QVERIFY2(verify.exitCode == 0 && verify.out.trimmed().isEmpty(), verify.out.constData());

        // And it notices a broken unit, so the pass above means something.
        QFile bad(m_dir.filePath(QStringLiteral("broken.service")));
        QVERIFY(bad.open(QIODevice::WriteOnly));
        bad.write(QByteArray(unit).replace("Type=notify", "Type=notifyy"));
        bad.close();
        const Run rejected = run(analyze, {QStringLiteral("verify"), bad.fileName()});
        QVERIFY2(rejected.out.contains("notifyy"), rejected.out.constData());
    }

    void installedConfigIsAccepted()
    {
        // The commented /etc/herald/herald.ini loads as is (a subcommand reads the whole config first).
        const Run r = run(m_stage + QStringLiteral("/usr/bin/herald-server"),
                          {QStringLiteral("--config"), m_stage + QStringLiteral("/etc/herald/herald.ini"), QStringLiteral("--data-dir"),
                           m_dir.filePath(QStringLiteral("data")), QStringLiteral("user"), QStringLiteral("list")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
    }

    void debianPackage()
    {
        const QString out = m_dir.filePath(QStringLiteral("packages"));
        QElapsedTimer timer;
        timer.start();
        const Run cpack = run(envPath("HERALD_CPACK"), {QStringLiteral("--config"), m_buildDir + QStringLiteral("/CPackConfig.cmake"),
                                                        QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), out});
        QVERIFY2(cpack.exitCode == 0, cpack.out.constData());
        qInfo("cpack -G DEB took %.1f s", double(timer.elapsed()) / 1000);
        const QStringList debs = QDir(out).entryList({QStringLiteral("herald-server_*.deb")});
        QCOMPARE(debs.size(), 1);
        const QString deb = QDir(out).filePath(debs.first());
        QVERIFY(!QDir(out).entryList({QStringLiteral("herald-clients_*.deb")}).isEmpty());

        const Run contents = run(QStringLiteral("dpkg-deb"), {QStringLiteral("-c"), deb});
        QCOMPARE(contents.exitCode, 0);
        for (const char *path : {" ./usr/bin/herald-server\n", " ./usr/lib/systemd/system/herald.service\n",
                                 " ./etc/herald/herald.ini\n", " ./usr/share/doc/herald-server/README.md\n",
                                 " ./usr/share/doc/herald-server/copyright\n", " ./usr/share/doc/herald-server/changelog.gz\n"})
            QVERIFY2(contents.out.contains(path), path);
        QVERIFY(!contents.out.contains("herald-console")); // the desktop console is in herald-clients
        QVERIFY(!contents.out.contains("/usr/local"));

        const auto field = [&](const char *name) {
            return run(QStringLiteral("dpkg-deb"), {QStringLiteral("-f"), deb, QString::fromLatin1(name)}).out.trimmed();
        };
        QCOMPARE(field("Package"), QByteArray("herald-server"));
        QCOMPARE(field("Architecture"), QByteArray("amd64"));
        QCOMPARE(field("Section"), QByteArray("net"));
        const QByteArray depends = field("Depends");
        for (const char *dep : {"adduser", "procps", "libqt6core6", "libqt6network6", "libssl3", "libnghttp2-14",
                                "libargon2-1", "libsqlite3-0", "libpq5"})
            QVERIFY2(depends.contains(dep), qPrintable(QStringLiteral("%1 missing from: %2").arg(QLatin1String(dep), QString::fromUtf8(depends))));
        QVERIFY(!depends.contains("libqt6widgets6")); // a server package pulls in no GUI
        QVERIFY(!depends.contains("libqt6sql6"));     // SQLite is opened through libsqlite3 itself

        const QString control = m_dir.filePath(QStringLiteral("control"));
        QCOMPARE(run(QStringLiteral("dpkg-deb"), {QStringLiteral("-e"), deb, control}).exitCode, 0);
        QCOMPARE(readFile(control + QStringLiteral("/conffiles")), QByteArray("/etc/herald/herald.ini\n"));
        const QByteArray postinst = readFile(control + QStringLiteral("/postinst"));
        QVERIFY(postinst.contains("adduser --system --group"));
        QVERIFY(postinst.contains("deb-systemd-helper enable herald.service"));
        for (const char *script : {"postinst", "prerm", "postrm"}) {
            const QString path = control + QLatin1Char('/') + QLatin1String(script);
            QVERIFY2(QFileInfo(path).isExecutable(), script);
            const Run syntax = run(QStringLiteral("sh"), {QStringLiteral("-n"), path});
            QVERIFY2(syntax.exitCode == 0, syntax.out.constData());
        }

        const QString lintian = QStandardPaths::findExecutable(QStringLiteral("lintian"));
        if (lintian.isEmpty()) {
            qInfo("lintian not installed: package policy checks skipped");
            return;
        }
        const Run lint = run(lintian, {QStringLiteral("--no-tag-display-limit"), deb});
        qInfo("lintian:\n%s", lint.out.constData());
        QVERIFY2(!lint.out.contains("\nE: ") && !lint.out.startsWith("E: "), lint.out.constData());
    }
};

QTEST_GUILESS_MAIN(tst_Packaging)
#include "tst_packaging.moc"

// The Windows service module (server/winservice, Qt-free) under Wine: tests/windows builds a probe
// service with mingw-w64 that links exactly that module, and this test drives it through Wine's own
// service manager the way an administrator would (sc create/start/query/stop/delete), then through
// the module's install/start/status/stop/uninstall, which `herald-server service ...` uses.
// The probe logs each step, so a stop is seen to travel the same path as SIGTERM on POSIX: a
// posted quit request, then STOP_PENDING, then STOPPED. Wine runs in a prefix of its own, without
// a display; wineserver is shut down at the end.
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

namespace {

struct Run
{
    int exitCode = -1;
    QString out;
};

} // namespace

class tst_WindowsService : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_wine;
    QString m_wineserver;
    QString m_probe;
    QProcessEnvironment m_env;
    QStringList m_unsupported; // steps Wine's service manager could not do, said out loud

    Run wine(const QStringList &args, int timeoutMs = 60000)
    {
        QProcess p;
        p.setProcessEnvironment(m_env);
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(m_wine, args);
        Run r;
        if (!p.waitForFinished(timeoutMs)) {
            p.kill();
            p.waitForFinished();
            r.out = QStringLiteral("(timed out) ") + QString::fromLocal8Bit(p.readAll());
            return r;
        }
        r.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
        r.out = QString::fromLocal8Bit(p.readAll());
        return r;
    }

    // Z: is Wine's view of the Unix root.
    static QString windowsPath(const QString &unixPath)
    {
        return QStringLiteral("Z:") + QDir::toNativeSeparators(unixPath).replace(QLatin1Char('/'), QLatin1Char('\\'));
    }

    QString scState(const QString &name)
    {
        const Run r = wine({QStringLiteral("sc"), QStringLiteral("query"), name});
        // 1060: ERROR_SERVICE_DOES_NOT_EXIST
        if (r.out.contains(QStringLiteral("1060")) || (r.exitCode != 0 && !r.out.contains(QStringLiteral("SERVICE_NAME"))))
            return r.exitCode == 0 ? r.out : QStringLiteral("absent");
        for (const char *state : {"RUNNING", "STOPPED", "START_PENDING", "STOP_PENDING"}) {
            if (r.out.contains(QLatin1String(state)))
                return QString::fromLatin1(state);
        }
        return r.out;
    }

    QStringList logLines(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QStringList lines;
        // The probe writes in text mode: Windows line ends.
        for (const QString &line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts))
            lines << line.trimmed();
        return lines;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_wine = qEnvironmentVariable("HERALD_WINE_BIN");
        m_probe = qEnvironmentVariable("HERALD_WIN_PROBE");
        if (m_wine.isEmpty() || !QFile::exists(m_wine))
            QSKIP("wine64 is not installed (scripts/deps.sh installs it)");
        if (m_probe.isEmpty() || !QFile::exists(m_probe))
            QSKIP("the mingw-w64 probe was not built (g++-mingw-w64-x86-64 missing at configure time)");
        m_wineserver = QFileInfo(m_wine).dir().filePath(QStringLiteral("wineserver"));
        QVERIFY(m_dir.isValid());
        m_env = QProcessEnvironment::systemEnvironment();
        m_env.insert(QStringLiteral("WINEPREFIX"), m_dir.filePath(QStringLiteral("prefix")));
        m_env.insert(QStringLiteral("WINEDEBUG"), QStringLiteral("-all"));
        // No display, no desktop integration, no Mono/Gecko installer dialogs.
        m_env.remove(QStringLiteral("DISPLAY"));
        m_env.remove(QStringLiteral("WAYLAND_DISPLAY"));
        m_env.insert(QStringLiteral("WINEDLLOVERRIDES"), QStringLiteral("mscoree,mshtml,winemenubuilder.exe="));
        QElapsedTimer timer;
        timer.start();
        const Run boot = wine({QStringLiteral("wineboot"), QStringLiteral("--init")}, 240000);
        QVERIFY2(boot.exitCode == 0, qPrintable(boot.out));
        // wineboot returns while the new prefix is still being written; commands run before the
        // wineserver has settled lost their output and exit codes here. Wait for it to finish.
        QProcess settle;
        settle.setProcessEnvironment(m_env);
        settle.start(m_wineserver, {QStringLiteral("-w")});
        QVERIFY(settle.waitForFinished(240000));
        // One wineserver (and so one services.exe) for the whole test. Otherwise each command
        // may start a fresh Wine session, and a fresh session starts every auto-start service —
        // the module installs Herald as one — racing the test's own start (seen: two probes).
        QProcess persistent;
        persistent.setProcessEnvironment(m_env);
        persistent.start(m_wineserver, {QStringLiteral("-p")});
        QVERIFY(persistent.waitForFinished(30000));
        qInfo("wine prefix set up in %.1f s", double(timer.elapsed()) / 1000);
    }

    void cleanupTestCase()
    {
        if (!m_wineserver.isEmpty() && m_env.contains(QStringLiteral("WINEPREFIX"))) {
            QProcess kill;
            kill.setProcessEnvironment(m_env);
            kill.start(m_wineserver, {QStringLiteral("-k")});
            kill.waitForFinished(20000);
        }
        if (!m_unsupported.isEmpty())
            qWarning("steps Wine's service manager could not do: %s", qPrintable(m_unsupported.join(QStringLiteral("; "))));
    }

    void notAServiceFromTheConsole()
    {
        const Run r = wine({m_probe, QStringLiteral("run"), QStringLiteral("Nobody")});
        QVERIFY2(r.exitCode == 3, qPrintable(QString::number(r.exitCode) + QLatin1Char(' ') + r.out));
        QVERIFY2(r.out.contains(QStringLiteral("not started by the service control manager")), qPrintable(r.out));
    }

    void scCreateStartQueryStopDelete()
    {
        QElapsedTimer timer;
        timer.start();
        const QString name = QStringLiteral("HeraldProbeSc");
        const QString log = m_dir.filePath(QStringLiteral("sc.log"));
        const QString binPath = windowsPath(m_probe) + QStringLiteral(" run ") + name + QLatin1Char(' ') + windowsPath(log);
        Run r = wine({QStringLiteral("sc"), QStringLiteral("create"), name, QStringLiteral("binPath="), binPath});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        const Run created = wine({QStringLiteral("sc"), QStringLiteral("query"), name});
        QVERIFY2(created.out.contains(QStringLiteral("STOPPED")), qPrintable(created.out + QString::number(created.exitCode)));

        r = wine({QStringLiteral("sc"), QStringLiteral("start"), name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        QTRY_COMPARE_WITH_TIMEOUT(scState(name), QStringLiteral("RUNNING"), 20000);
        QCOMPARE(logLines(log), (QStringList{QStringLiteral("start-pending"), QStringLiteral("running")}));

        r = wine({QStringLiteral("sc"), QStringLiteral("stop"), name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        QTRY_COMPARE_WITH_TIMEOUT(scState(name), QStringLiteral("STOPPED"), 20000);
        // The stop went through the posted request and the orderly shutdown, not a kill.
        QTRY_COMPARE_WITH_TIMEOUT(logLines(log),
                                  (QStringList{QStringLiteral("start-pending"), QStringLiteral("running"),
                                               QStringLiteral("stop-requested"), QStringLiteral("stopped")}),
                                  10000);

        r = wine({QStringLiteral("sc"), QStringLiteral("delete"), name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        QCOMPARE(scState(name), QStringLiteral("absent"));
        qInfo("sc create/start/query/stop/delete took %.1f s", double(timer.elapsed()) / 1000);
    }

    void moduleInstallStartStatusStopUninstall()
    {
        const QString name = QStringLiteral("HeraldProbeModule");
        const QString log = m_dir.filePath(QStringLiteral("module.log"));
        Run r = wine({m_probe, QStringLiteral("status"), name});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("not installed")), qPrintable(r.out));

        r = wine({m_probe, QStringLiteral("install"), name, windowsPath(log)});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        QVERIFY2(r.out.startsWith(QStringLiteral("installed")), qPrintable(r.out));
        if (r.out.contains(QStringLiteral("not set")))
            m_unsupported << QStringLiteral("install: ") + r.out.trimmed(); // description/recovery settings
        // Installing twice is refused with the SCM's reason.
        const Run again = wine({m_probe, QStringLiteral("install"), name, windowsPath(log)});
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.out.contains(QStringLiteral("cannot create the service")), qPrintable(again.out));

        r = wine({m_probe, QStringLiteral("start"), name});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(QStringLiteral("running")), qPrintable(r.out));
        r = wine({m_probe, QStringLiteral("status"), name});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(QStringLiteral("running (pid ")), qPrintable(r.out));

        r = wine({m_probe, QStringLiteral("stop"), name});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(QStringLiteral("stopped")), qPrintable(r.out));
        QTRY_COMPARE_WITH_TIMEOUT(logLines(log).value(2), QStringLiteral("stop-requested"), 10000);
        r = wine({m_probe, QStringLiteral("status"), name});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(QStringLiteral("stopped")), qPrintable(r.out));

        // Uninstall stops a running service first.
        r = wine({m_probe, QStringLiteral("start"), name});
        QVERIFY2(r.exitCode == 0, qPrintable(r.out));
        r = wine({m_probe, QStringLiteral("uninstall"), name});
        QVERIFY2(r.exitCode == 0 && r.out.startsWith(QStringLiteral("uninstalled")), qPrintable(r.out));
        r = wine({m_probe, QStringLiteral("status"), name});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(QStringLiteral("not installed")), qPrintable(r.out));
        QCOMPARE(logLines(log).count(QStringLiteral("stopped")), 2);

        // Verbs on a service that is not there fail with the SCM's reason, not silently.
        for (const char *verb : {"start", "stop", "uninstall"}) {
            r = wine({m_probe, QString::fromLatin1(verb), name});
            QCOMPARE(r.exitCode, 1);
            QVERIFY2(r.out.contains(QStringLiteral("cannot open the service")), qPrintable(r.out));
        }
    }
};

QTEST_GUILESS_MAIN(tst_WindowsService)
#include "tst_windowsservice.moc"

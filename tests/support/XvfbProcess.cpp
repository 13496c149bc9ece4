#include "XvfbProcess.h"

#include <QDeadlineTimer>
#include <QFile>
#include <QStandardPaths>
#include <QThread>

namespace herald::test {

XvfbProcess::~XvfbProcess()
{
    stop();
}

bool XvfbProcess::start(QString *error, int timeoutMs)
{
    const QString binary = QStandardPaths::findExecutable(QStringLiteral("Xvfb"));
    if (binary.isEmpty()) {
        *error = QStringLiteral("Xvfb is not installed (scripts/deps.sh installs it)");
        return false;
    }
    // Display numbers far from the usual :0/:1, skipping any another server holds (lock or socket);
    // if a racing process takes ours first, Xvfb exits and the next number is tried.
    for (int display = 90; display < 190; ++display) {
        const QString lock = QStringLiteral("/tmp/.X%1-lock").arg(display);
        const QString socket = QStringLiteral("/tmp/.X11-unix/X%1").arg(display);
        if (QFile::exists(lock) || QFile::exists(socket))
            continue;
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(binary, {QStringLiteral(":%1").arg(display), QStringLiteral("-nolisten"), QStringLiteral("tcp"),
                                 QStringLiteral("-screen"), QStringLiteral("0"), QStringLiteral("1280x1024x24")});
        if (!m_process.waitForStarted(timeoutMs)) {
            *error = QStringLiteral("cannot start Xvfb: %1").arg(m_process.errorString());
            return false;
        }
        QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired() && m_process.state() == QProcess::Running && !QFile::exists(socket))
            m_process.waitForFinished(50);
        if (m_process.state() == QProcess::Running && QFile::exists(socket)) {
            m_display = display;
            return true;
        }
        const QString output = QString::fromLocal8Bit(m_process.readAll());
        stop();
        if (deadline.hasExpired()) {
            *error = QStringLiteral("Xvfb :%1 did not come up: %2").arg(display).arg(output);
            return false;
        }
    }
    *error = QStringLiteral("no free X display number between :90 and :189");
    return false;
}

void XvfbProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(5000)) {
        m_process.kill();
        m_process.waitForFinished();
    }
    m_display = -1;
}

} // namespace herald::test

#pragma once

#include <QProcess>
#include <QString>

namespace herald::test {

// A private X server for GUI integration tests: `Xvfb :N -nolisten tcp` on the first free display
// number, so the real xcb platform plugin (not offscreen) draws the widgets as on a desktop.
class XvfbProcess
{
public:
    ~XvfbProcess();

    // Starts Xvfb and waits for its socket; `error` says why not (e.g. Xvfb is not installed).
    bool start(QString *error, int timeoutMs = 10000);
    void stop();
    // ":N", for DISPLAY.
    QString display() const { return QStringLiteral(":%1").arg(m_display); }

private:
    QProcess m_process;
    int m_display = -1;
};

} // namespace herald::test

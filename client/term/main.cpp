#include "TermApp.h"
#include "TermCommandLine.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QTimer>

#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("herald-term"));

    // herald-term reports every failure itself as "error: code: message"; the library's own log lines
    // would say it twice. QT_LOGGING_RULES still overrides this for debugging.
    QLoggingCategory::setFilterRules(QStringLiteral("herald.client.info=false\nherald.client.warning=false"));

    herald::term::TermCommandLine commandLine;
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    if (!commandLine.parse(arguments)) {
        std::fprintf(stderr, "herald-term: %s\n", qUtf8Printable(commandLine.errorMessage()));
        std::fprintf(stderr, "Try 'herald-term --help'.\n");
        return herald::term::ExitUsage;
    }
    herald::term::TermApp term(commandLine.invocation());
    QTimer::singleShot(0, &term, &herald::term::TermApp::start);
    return QCoreApplication::exec();
}

#pragma once

#include <QTextStream>

#include <memory>

#include "push/Provider.h"
#include "push/ProviderSettings.h"

namespace herald {

// Builds the Provider for parsed settings, and runs `herald-server provider test`.
class ProviderFactory
{
public:
    static std::unique_ptr<Provider> create(const ProviderSettings &settings, QObject *parent = nullptr);

    // Sends one test push to `deviceToken` and prints the provider's verdict to `out`.
    // Returns 0 when delivered, 1 for any other verdict, 2 when no verdict came within timeoutMs.
    // Runs a local event loop, so call it from the main thread outside other event processing.
    static int runProviderTest(const ProviderSettings &settings, const QString &deviceToken, QTextStream &out,
                               int timeoutMs = 30000);

    static QString outcomeName(PushResult::Outcome outcome);
};

} // namespace herald

#pragma once

#include <QString>

namespace herald::Logging {

// Timestamps, level and category on every line; `rules` uses QLoggingCategory syntax with ';'
// or newlines between rules. QT_LOGGING_RULES, when set, is applied on top by Qt itself.
void setup(const QString &rules);
// Sends log lines to a file instead of stderr (daemon mode). Returns false if it cannot be opened.
bool redirectToFile(const QString &path, QString *error);

} // namespace herald::Logging

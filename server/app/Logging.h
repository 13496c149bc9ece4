#pragma once

#include <QString>

namespace herald::Logging {

// Timestamps, level and category on every line; `rules` uses QLoggingCategory syntax with ';'
// or newlines between rules. QT_LOGGING_RULES, when set, is applied on top by Qt itself.
// When stderr is systemd's journal stream the journal adds the time, so lines carry only a
// "<N>" priority prefix instead.
void setup(const QString &rules);
// Re-applies log rules to a running server (reload); the line format stays.
void applyRules(const QString &rules);
// True when stderr is the stream systemd's JOURNAL_STREAM names.
bool stderrIsJournal();
// Sends log lines to a file instead of stderr (daemon mode). Returns false if it cannot be opened.
bool redirectToFile(const QString &path, QString *error);

} // namespace herald::Logging

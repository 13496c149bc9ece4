#pragma once

#include <QString>

namespace herald::SourceName {

// Names of event sources, one rule for `herald-server source` and the admin API: lower-case
// letters, digits, . _ - (1 to 64, starting with a letter or digit), and never "monitor…", which
// names the built-in monitors' own sources in the outbox.
bool isValid(const QString &name);
inline constexpr int MaxLength = 64;
inline constexpr const char *Rule = "lower-case letters, digits, . _ -, at most 64; not starting with 'monitor'";

} // namespace herald::SourceName

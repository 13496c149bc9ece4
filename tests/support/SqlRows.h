#pragma once

#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

namespace herald::test {

// Runs `sql` on the database file at `path` through a connection of its own, so it sees only what
// is committed, and returns every row. nullopt (with *error) when the file does not open or the
// statement fails.
std::optional<QList<QVariantList>> sqlRows(const QString &path, const QString &sql, QString *error = nullptr);

} // namespace herald::test

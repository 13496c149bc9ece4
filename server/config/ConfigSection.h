#pragma once

#include <QHash>
#include <QString>

namespace herald {

// A section the core does not interpret itself ([push.*], [imap.*], [app.*]): handed as is to the
// part that owns it, with enough to point errors at the right file and line. At the bottom of the
// module graph so that those parts need nothing of app/.
struct ConfigSection
{
    QString name;
    QString fileName;
    QHash<QString, QString> values;
    QHash<QString, int> lines;

    // "<file>:<line>: [<section>] <key>", the prefix of every error about one of its settings.
    QString where(const QString &key) const;
};

} // namespace herald

#pragma once

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QString>
#include <QStringList>

namespace herald::test {

// A strict reader of the Prometheus text exposition format (0.0.4), for tests: every line must be
// a well-formed # HELP / # TYPE comment or a sample of a family announced before it. Independent
// of the server's writer on purpose, so the two check each other.
class PromText
{
public:
    struct Sample
    {
        QString name;                  // with _bucket/_sum/_count
        QMap<QString, QString> labels; // unescaped
        double value = 0;
    };

    bool parse(const QByteArray &text);
    QString error() const { return m_error; }
    QString type(const QString &family) const { return m_types.value(family); }
    QString help(const QString &family) const { return m_help.value(family); }
    QList<Sample> samples() const { return m_samples; }
    // The value of the one sample with this name whose labels include `labels`; NaN when none.
    double value(const QString &name, const QMap<QString, QString> &labels = {}) const;
    // The sum over all samples with this name whose labels include `labels`.
    double sum(const QString &name, const QMap<QString, QString> &labels = {}) const;

    // Runs `promtool check metrics` on the text; empty when it passes, else its complaint.
    // `*skipped` is set when promtool is not installed.
    static QString promtoolCheck(const QByteArray &text, bool *skipped);

private:
    bool fail(int line, const QString &why);
    QHash<QString, QString> m_types;
    QHash<QString, QString> m_help;
    QList<Sample> m_samples;
    QString m_error;
};

} // namespace herald::test

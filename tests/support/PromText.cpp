#include "PromText.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>

#include <cmath>

namespace herald::test {

namespace {
const QRegularExpression NameRe(QStringLiteral("^[a-zA-Z_:][a-zA-Z0-9_:]*$"));
const QRegularExpression LabelNameRe(QStringLiteral("^[a-zA-Z_][a-zA-Z0-9_]*$"));

bool parseValue(const QString &text, double *value)
{
    if (text == QLatin1String("+Inf")) {
        *value = INFINITY;
        return true;
    }
    if (text == QLatin1String("-Inf")) {
        *value = -INFINITY;
        return true;
    }
    if (text == QLatin1String("NaN")) {
        *value = NAN;
        return true;
    }
    bool ok = false;
    *value = text.toDouble(&ok);
    return ok;
}

bool matches(const QMap<QString, QString> &have, const QMap<QString, QString> &want)
{
    for (auto it = want.cbegin(); it != want.cend(); ++it) {
        if (have.value(it.key()) != it.value() || !have.contains(it.key()))
            return false;
    }
    return true;
}
} // namespace

bool PromText::fail(int line, const QString &why)
{
    m_error = QStringLiteral("line %1: %2").arg(line).arg(why);
    return false;
}

bool PromText::parse(const QByteArray &text)
{
    m_types.clear();
    m_help.clear();
    m_samples.clear();
    if (!text.isEmpty() && !text.endsWith('\n'))
        return fail(0, QStringLiteral("the text does not end with a newline"));
    const QList<QByteArray> lines = text.split('\n');
    for (int n = 0; n < lines.size() - 1; ++n) {
        const QString line = QString::fromUtf8(lines.at(n));
        if (line.startsWith(QLatin1String("# HELP ")) || line.startsWith(QLatin1String("# TYPE "))) {
            const QStringList parts = line.mid(7).split(QLatin1Char(' '));
            if (parts.size() < 2 || !NameRe.match(parts.at(0)).hasMatch())
                return fail(n + 1, QStringLiteral("bad comment: ") + line);
            if (line.startsWith(QLatin1String("# TYPE "))) {
                static const QStringList types{QStringLiteral("counter"), QStringLiteral("gauge"), QStringLiteral("histogram"),
                                               QStringLiteral("summary"), QStringLiteral("untyped")};
                if (parts.size() != 2 || !types.contains(parts.at(1)) || m_types.contains(parts.at(0)))
                    return fail(n + 1, QStringLiteral("bad or repeated TYPE: ") + line);
                m_types.insert(parts.at(0), parts.at(1));
            } else {
                m_help.insert(parts.at(0), line.mid(7 + parts.at(0).size() + 1));
            }
            continue;
        }
        if (line.isEmpty() || line.startsWith(QLatin1Char('#')))
            continue;
        Sample s;
        int i = 0;
        while (i < line.size() && line.at(i) != QLatin1Char('{') && line.at(i) != QLatin1Char(' '))
            ++i;
        s.name = line.left(i);
        if (!NameRe.match(s.name).hasMatch())
            return fail(n + 1, QStringLiteral("bad metric name: ") + line);
        if (i < line.size() && line.at(i) == QLatin1Char('{')) {
            ++i;
            while (i < line.size() && line.at(i) != QLatin1Char('}')) {
                const int eq = line.indexOf(QLatin1Char('='), i);
                if (eq < 0)
                    return fail(n + 1, QStringLiteral("label without '='"));
                const QString label = line.mid(i, eq - i);
                if (!LabelNameRe.match(label).hasMatch() || eq + 1 >= line.size() || line.at(eq + 1) != QLatin1Char('"'))
                    return fail(n + 1, QStringLiteral("bad label: ") + label);
                QString value;
                int j = eq + 2;
                for (; j < line.size() && line.at(j) != QLatin1Char('"'); ++j) {
                    if (line.at(j) == QLatin1Char('\\')) {
                        if (++j >= line.size())
                            return fail(n + 1, QStringLiteral("dangling escape"));
                        const QChar e = line.at(j);
                        if (e == QLatin1Char('n'))
                            value += QLatin1Char('\n');
                        else if (e == QLatin1Char('\\') || e == QLatin1Char('"'))
                            value += e;
                        else
                            return fail(n + 1, QStringLiteral("unknown escape \\") + e);
                    } else {
                        value += line.at(j);
                    }
                }
                if (j >= line.size())
                    return fail(n + 1, QStringLiteral("unterminated label value"));
                if (s.labels.contains(label))
                    return fail(n + 1, QStringLiteral("repeated label ") + label);
                s.labels.insert(label, value);
                i = j + 1;
                if (i < line.size() && line.at(i) == QLatin1Char(','))
                    ++i;
            }
            if (i >= line.size())
                return fail(n + 1, QStringLiteral("unterminated label set"));
            ++i;
        }
        if (i >= line.size() || line.at(i) != QLatin1Char(' '))
            return fail(n + 1, QStringLiteral("no value: ") + line);
        const QStringList rest = line.mid(i + 1).split(QLatin1Char(' '));
        if (rest.isEmpty() || rest.size() > 2 || !parseValue(rest.at(0), &s.value))
            return fail(n + 1, QStringLiteral("bad value: ") + line);
        // Every sample belongs to a family announced before it.
        QString family = s.name;
        for (const char *suffix : {"_bucket", "_sum", "_count"}) {
            if (!m_types.contains(family) && family.endsWith(QLatin1String(suffix)))
                family.chop(int(qstrlen(suffix)));
        }
        if (!m_types.contains(family))
            return fail(n + 1, QStringLiteral("sample of an undeclared family: ") + s.name);
        m_samples.append(s);
    }
    return true;
}

double PromText::value(const QString &name, const QMap<QString, QString> &labels) const
{
    double found = NAN;
    int hits = 0;
    for (const Sample &s : m_samples) {
        if (s.name == name && matches(s.labels, labels)) {
            found = s.value;
            ++hits;
        }
    }
    return hits == 1 ? found : NAN;
}

double PromText::sum(const QString &name, const QMap<QString, QString> &labels) const
{
    double total = 0;
    for (const Sample &s : m_samples) {
        if (s.name == name && matches(s.labels, labels))
            total += s.value;
    }
    return total;
}

QString PromText::promtoolCheck(const QByteArray &text, bool *skipped)
{
    const QString promtool = QStandardPaths::findExecutable(QStringLiteral("promtool"));
    *skipped = promtool.isEmpty();
    if (promtool.isEmpty())
        return {};
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(promtool, {QStringLiteral("check"), QStringLiteral("metrics")});
    if (!p.waitForStarted(10000))
        return QStringLiteral("promtool did not start");
    p.write(text);
    p.closeWriteChannel();
    if (!p.waitForFinished(30000))
        return QStringLiteral("promtool did not finish");
    if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return QStringLiteral("promtool: ") + QString::fromUtf8(p.readAll());
    return {};
}

} // namespace herald::test

#include "push/RetryPolicy.h"

#include <QLocale>
#include <QRandomGenerator>

#include <cmath>

namespace herald {

RetryPolicy::RetryPolicy() : RetryPolicy(Options{}) {}

RetryPolicy::RetryPolicy(const Options &options, std::function<double()> random)
    : m_options(options), m_random(std::move(random))
{
    if (!m_random)
        m_random = [] { return QRandomGenerator::global()->generateDouble(); };
}

bool RetryPolicy::isRetryable(PushResult::Outcome outcome)
{
    return outcome == PushResult::Outcome::RetryLater;
}

std::optional<QDateTime> RetryPolicy::nextAttempt(int attemptsSoFar, const PushResult &result,
                                                  const QDateTime &now, const QDateTime &expiresAt) const
{
    if (!isRetryable(result.outcome) || attemptsSoFar >= m_options.maxAttempts)
        return std::nullopt;
    const int exponent = qBound(0, attemptsSoFar - 1, 30);
    double delay =
        qMin(double(m_options.maxDelaySecs), double(m_options.baseDelaySecs) * std::pow(2.0, exponent));
    delay *= 1.0 + m_options.jitter * (2.0 * m_random() - 1.0);
    // The provider's own word wins over our guess when it asks for longer.
    if (result.retryAfterSecs >= 0)
        delay = qMax(delay, double(result.retryAfterSecs));
    delay = qMax(1.0, delay);
    const QDateTime next = now.addMSecs(qint64(delay * 1000.0));
    const QDateTime deadline = expiresAt.isValid() ? expiresAt : now.addSecs(m_options.defaultExpirySecs);
    if (next >= deadline)
        return std::nullopt;
    return next;
}

int RetryPolicy::parseRetryAfter(const QByteArray &value)
{
    return value.isEmpty() ? -1 : parseRetryAfter(value, QDateTime::currentDateTimeUtc());
}

int RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray v = value.trimmed();
    if (v.isEmpty())
        return -1;
    bool ok = false;
    const qlonglong secs = v.toLongLong(&ok);
    if (ok)
        return secs < 0 ? -1 : int(qMin<qlonglong>(secs, 7 * 24 * 3600));
    // HTTP-date, e.g. "Wed, 21 Oct 2015 07:28:00 GMT" (always English, always GMT).
    QDateTime when =
        QLocale::c().toDateTime(QString::fromLatin1(v), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return -1;
    when.setTimeSpec(Qt::UTC);
    return int(qBound<qint64>(0, now.secsTo(when), qint64(7 * 24 * 3600)));
}

} // namespace herald

#include "push/VapidSigner.h"

#include <QDateTime>
#include <QJsonObject>
#include <QUrl>

#include "crypto/EcP256Key.h"
#include "crypto/Jwt.h"

namespace herald {

VapidSigner::VapidSigner(const PrivateKey &key, const QString &subject)
    : m_key(key), m_subject(subject), m_clock([] { return QDateTime::currentSecsSinceEpoch(); })
{
    const EcP256Key ec = EcP256Key::fromHandle(key.handle());
    if (!ec.isNull())
        m_publicKey = Jwt::base64Url(ec.publicPoint());
}

QString VapidSigner::originOf(const QString &endpoint)
{
    const QUrl url(endpoint, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return {};
    return url.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment | QUrl::RemoveUserInfo)
        .toString(QUrl::FullyEncoded);
}

QByteArray VapidSigner::authorization(const QString &origin, QString *error)
{
    const qint64 now = m_clock();
    auto it = m_cache.find(origin);
    if (it != m_cache.end() && it->expiresAt - now > kRenewBeforeSecs)
        return it->header;
    const qint64 exp = now + kLifetimeSecs;
    const QJsonObject claims{{QStringLiteral("aud"), origin},
                             {QStringLiteral("exp"), exp},
                             {QStringLiteral("sub"), m_subject}};
    const QByteArray jwt = Jwt::signEs256(QJsonObject{}, claims, m_key, error);
    if (jwt.isEmpty())
        return {};
    const QByteArray header = "vapid t=" + jwt + ", k=" + m_publicKey;
    // Push services are few (one per browser vendor): the cache stays tiny.
    m_cache.insert(origin, {header, exp});
    return header;
}

} // namespace herald

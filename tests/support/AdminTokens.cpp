#include "AdminTokens.h"

#include "HttpsClient.h"
#include "ServerProcess.h"

#include <QFile>
#include <QJsonObject>

namespace herald::test {

AdminTokens AdminTokens::login(const ServerProcess &server, HttpsClient &http)
{
    AdminTokens tokens;
    QFile file(server.dataDir() + QStringLiteral("/initial-admin-password"));
    if (!file.open(QIODevice::ReadOnly))
        return tokens;
    const QString password = QString::fromUtf8(file.readAll()).trimmed();
    auto tokenOf = [](const HttpsClient::Reply &reply) {
        return reply.status == 200 ? reply.json().object().value(QStringLiteral("token")).toString() : QString();
    };
    tokens.admin = tokenOf(http.post(QStringLiteral("/admin/v1/login"),
                                     {{QStringLiteral("username"), QStringLiteral("admin")},
                                      {QStringLiteral("password"), password}}));
    const QString helpdeskPassword = QStringLiteral("helpdesk-password");
    const auto created = http.post(QStringLiteral("/admin/v1/operators"),
                                   {{QStringLiteral("username"), QStringLiteral("helpdesk")},
                                    {QStringLiteral("password"), helpdeskPassword},
                                    {QStringLiteral("role"), QStringLiteral("helpdesk")}},
                                   tokens.admin);
    if (created.status == 201)
        tokens.helpdesk = tokenOf(http.post(QStringLiteral("/admin/v1/login"),
                                            {{QStringLiteral("username"), QStringLiteral("helpdesk")},
                                             {QStringLiteral("password"), helpdeskPassword}}));
    return tokens;
}

} // namespace herald::test

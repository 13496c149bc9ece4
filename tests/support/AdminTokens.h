#pragma once

#include <QString>

namespace herald::test {

class HttpsClient;
class ServerProcess;

// Console sessions for admin API tests: the bootstrap `admin` (its password from the data folder)
// and a `helpdesk` operator it creates. Empty tokens when something failed.
struct AdminTokens
{
    QString admin;
    QString helpdesk;

    static AdminTokens login(const ServerProcess &server, HttpsClient &http);
};

} // namespace herald::test

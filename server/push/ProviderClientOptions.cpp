#include "push/ProviderClientOptions.h"

namespace herald {

Http2Client::Options providerClientOptions(const ProviderSettings &settings, const QSslConfiguration &tls)
{
    Http2Client::Options o;
    o.host = settings.host;
    o.port = settings.port;
    o.connections = settings.connections;
    o.maxOutstanding = settings.maxOutstanding;
    o.tls = tls;
    return o;
}

} // namespace herald

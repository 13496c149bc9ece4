#pragma once

#include "push/Http2Client.h"
#include "push/ProviderSettings.h"

namespace herald {

// The HTTP/2 client settings every provider takes from its [push.*] section (host, port,
// connections, max_outstanding), over the TLS configuration the provider builds itself
// (APNs adds a client certificate, FCM only trusts its CAs).
Http2Client::Options providerClientOptions(const ProviderSettings &settings, const QSslConfiguration &tls);

} // namespace herald

#pragma once

#include "limits/RateLimit.h"

#include <QHostAddress>
#include <QList>
#include <QPair>

namespace herald {

// The [limits] rate limits. Defaults are sized for a company behind one NAT address: thousands
// of people logging in within minutes from the same address must pass, while one address or
// one account guessing passwords, or a runaway source, is held to a rate a person never reaches.
// docs/protocol.md ("Rate limits and login storms") explains each number.
struct LimitSettings
{
    RateLimit registerPerAddress{20, 600};  // 20/s burst 600
    RateLimit registerPerAccount{10.0 / 60, 10}; // failed password checks: 10/min
    RateLimit loginPerAddress{50, 1000};    // 50/s burst 1000
    RateLimit loginPerAccount{1, 60};       // 60/min burst 60
    RateLimit sessionPerAddress{50, 1000};  // new session upgrades: 50/s burst 1000
    RateLimit eventsPerSource{2000, 10000}; // 2000/s burst 10000
    int maxBuckets = 100'000;               // per limit
    // Addresses no per-address limit applies to (a reverse proxy on the same host makes every
    // client look like one loopback address). Default: loopback.
    QList<QPair<QHostAddress, int>> exemptAddresses{QHostAddress::parseSubnet(QStringLiteral("127.0.0.0/8")),
                                                    QHostAddress::parseSubnet(QStringLiteral("::1/128"))};
};

} // namespace herald

#pragma once

#include <QLatin1String>

namespace herald::protocol {

// PROTOCOL.md version 1. Bumped only for incompatible changes, which v1 promises never to make.
constexpr int Version = 1;

// Feature flags travel as strings and are never renamed (see docs/protocol.md).
namespace feature {
constexpr QLatin1String Ack{"ack"};
constexpr QLatin1String Clear{"clear"};
} // namespace feature

} // namespace herald::protocol

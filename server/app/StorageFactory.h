#pragma once

#include "storage/Storage.h"

#include <memory>

namespace herald {

struct ServerConfig;

// Creates the data folder (owner-only) and opens the configured backend, set up and upgraded.
std::unique_ptr<Storage> openStorage(const ServerConfig &config, QString *error);

} // namespace herald

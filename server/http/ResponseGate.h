#pragma once

#include <functional>

namespace herald {

// How an answer waits for storage: the gate is handed a "write it now" callback and calls it once
// the writes made while handling the request are committed (durable = true), or failed. The server
// plugs Storage::whenDurable in here, so a 202 "stored" is never sent ahead of its commit. Answers
// on one connection pass the gate in order. No gate: answers go out at once.
using ResponseGate = std::function<void(std::function<void(bool durable)> write)>;

} // namespace herald

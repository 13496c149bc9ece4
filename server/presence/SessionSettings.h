#pragma once

namespace herald {

// [session] as the session channel sees it.
struct SessionSettings
{
    int heartbeatSecs = 30; // ping interval asked of terminals; silent for 2x = offline
};

} // namespace herald

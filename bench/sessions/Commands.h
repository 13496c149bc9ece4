#pragma once

namespace sessionload {

struct Args;

int cmdRegister(const Args &a); // RegisterCommand.cpp
int cmdHold(const Args &a);     // HoldCommand.cpp
int cmdProbe(const Args &a);    // ProbeCommand.cpp
int cmdCluster(const Args &a);  // ClusterCommand.cpp

} // namespace sessionload

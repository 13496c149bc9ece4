#pragma once

namespace sessionload {

struct Args;

int cmdRegister(const Args &a); // RegisterCommand.cpp
int cmdHold(const Args &a);     // HoldCommand.cpp
int cmdProbe(const Args &a);    // ProbeCommand.cpp

} // namespace sessionload

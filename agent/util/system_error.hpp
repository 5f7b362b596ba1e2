// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace feedz {

// strerror(errno) as a std::string, for messages ("cannot open x: Permission denied").
std::string errno_text(int error_number);

} // namespace feedz

// SPDX-License-Identifier: MIT
#include "system_error.hpp"

#include <cstring>

namespace feedz {

std::string errno_text(int error_number) {
    char buffer[256];
    // GNU strerror_r returns a pointer that may or may not be `buffer`.
    return strerror_r(error_number, buffer, sizeof(buffer));
}

} // namespace feedz

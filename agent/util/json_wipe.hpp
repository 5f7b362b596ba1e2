// SPDX-License-Identifier: MIT
#pragma once

#include <nlohmann/json.hpp>

namespace feedz {

// Overwrites every string in `json` in place: for parsed documents that held a token (JSON
// from FEEDZ_CREDENTIALS, a NuGet message), before they are freed.
void wipe_json_strings(nlohmann::json& json);

} // namespace feedz

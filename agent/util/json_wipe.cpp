// SPDX-License-Identifier: MIT
#include "json_wipe.hpp"

#include <agent/util/secret_string.hpp>

namespace feedz {

void wipe_json_strings(nlohmann::json& json) {
    if (json.is_string()) {
        auto& text = json.get_ref<std::string&>();
        wipe_memory(text.data(), text.size());
    } else if (json.is_structured()) {
        for (auto& child : json) {
            wipe_json_strings(child);
        }
    }
}

} // namespace feedz

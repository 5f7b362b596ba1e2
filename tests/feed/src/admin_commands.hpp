// SPDX-License-Identifier: MIT
#pragma once

#include "arguments.hpp"

namespace feed {

// The admin subcommands. Each returns the exit code; failures throw FeedError (exit 1) or
// UsageError (exit 2). Only `token create` ever prints a token, once, on stdout.
int repo_create(Arguments& args);
int repo_list(Arguments& args);
int token_create(Arguments& args);
int token_list(Arguments& args);
int token_set_active(Arguments& args, bool active);
int package_add(Arguments& args);

} // namespace feed

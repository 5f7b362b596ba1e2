// SPDX-License-Identifier: MIT
#pragma once

#include <agent/util/result.hpp>
#include <agent/util/secret_string.hpp>

#include <string>

namespace feedz::cli {

// Asks for a secret on the controlling terminal with echo off. Errc::invalid_argument when
// there is no terminal, with a message that names the alternatives.
Result<SecretString> prompt_secret(const std::string& prompt);

// All of standard input, without one trailing line break ("\n" or "\r\n").
Result<SecretString> read_secret_from_stdin();

} // namespace feedz::cli

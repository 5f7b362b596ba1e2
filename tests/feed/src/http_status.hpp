// SPDX-License-Identifier: MIT
#pragma once

namespace feed {

// The HTTP status codes the feed answers with.
inline constexpr int k_ok = 200;
inline constexpr int k_created = 201;
inline constexpr int k_no_content = 204;
inline constexpr int k_bad_request = 400;
inline constexpr int k_not_found = 404;
inline constexpr int k_method_not_allowed = 405;
inline constexpr int k_conflict = 409;
inline constexpr int k_internal_error = 500;

} // namespace feed

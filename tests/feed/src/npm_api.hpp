// SPDX-License-Identifier: MIT
#pragma once

#include "exchange.hpp"
#include "npm_store.hpp"

#include <string>
#include <vector>

namespace feed {

// The npm registry under /ORG/REPO/npm/ (segments after "npm"); NAME is "name", "@scope/name"
// (two segments) or "@scope%2fname" (one):
//   GET    NAME                              packument
//   GET    NAME/VERSION-OR-TAG               one version's manifest
//   GET    NAME/-/FILE.tgz                   tarball
//   PUT    NAME                              publish (with _attachments) or deprecate (without)
//   PUT    NAME/-rev/REV                     unpublish versions (Full access)
//   DELETE NAME/-rev/REV                     unpublish the package (Full access)
//   DELETE NAME/-/FILE.tgz/-rev/REV          remove a tarball (Full access)
//   GET    -/package/NAME/dist-tags          dist-tags
//   PUT    -/package/NAME/dist-tags/TAG      set a dist-tag (body: "VERSION")
//   DELETE -/package/NAME/dist-tags/TAG      remove a dist-tag
//   GET    -/whoami                          {"username": the token's name}
//   GET    -/ping                            {}
//   POST   -/npm/v1/security/advisories/bulk and …/audits/quick: no advisories
void handle_npm(Exchange& exchange,
                const std::vector<std::string>& segments,
                const NpmStore& store);

// Reads an npm package name starting at segments[index]: "@scope%2fname" is one segment,
// "@scope/name" two. Sets index past it; throws HttpError 400 for an invalid name.
std::string parse_npm_name(const std::vector<std::string>& segments, std::size_t& index);

} // namespace feed

// SPDX-License-Identifier: MIT
#pragma once

#include "exchange.hpp"
#include "nuget_store.hpp"

#include <string>
#include <vector>

namespace feed {

// NuGet v3 under /ORG/REPO/nuget/ (segments after "nuget"):
//   GET    index.json                                  service index
//   GET    v3-flatcontainer/ID/index.json              versions      (PackageBaseAddress/3.0.0)
//   GET    v3-flatcontainer/ID/VER/ID.VER.nupkg        package
//   GET    v3-flatcontainer/ID/VER/ID.nuspec           manifest
//   GET    v3/registration/ID/index.json             metadata      (RegistrationsBaseUrl/3.6.0)
//   GET    v3/registration/ID/VER.json               one version's metadata
//   PUT    api/v2/package                              push, multipart (PackagePublish/2.0.0)
//   DELETE api/v2/package/ID/VER                       delete (Full access)
void handle_nuget(Exchange& exchange,
                  const std::vector<std::string>& segments,
                  const NugetStore& store);

// The service index for a feed URL ("https://HOST/ORG/REPO/").
nlohmann::json nuget_service_index(const std::string& feed_url);

// The .nupkg in a push body: the first part of multipart/form-data, or the body itself.
std::string nuget_package_from_body(const std::string& content_type, const std::string& body);

} // namespace feed

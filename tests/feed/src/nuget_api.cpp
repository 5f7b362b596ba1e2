// SPDX-License-Identifier: MIT
#include "nuget_api.hpp"

#include "error.hpp"
#include "http_status.hpp"
#include "names.hpp"
#include "nuget_metadata.hpp"
#include "nupkg.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/MediaType.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/MultipartReader.h>

#include <sstream>

namespace feed {

namespace {

void require_method(const Exchange& exchange, bool ok) {
    if (!ok) {
        throw HttpError(k_method_not_allowed, "method " + exchange.method() + " not allowed here");
    }
}

std::string checked_id(const std::string& id) {
    if (!is_valid_nuget_id(id)) {
        throw HttpError(k_bad_request, "invalid package id");
    }
    return to_lower(id);
}

std::string checked_version(const std::string& version) {
    auto normalized = normalize_nuget_version(version);
    if (!normalized) {
        throw HttpError(k_bad_request, "invalid package version");
    }
    return *normalized;
}

void flat_container(Exchange& exchange,
                    const std::vector<std::string>& segments,
                    const NugetStore& store) {
    require_method(exchange, exchange.is_get());
    if (segments.size() != 3 && segments.size() != 4) {
        throw HttpError(k_not_found, "not found");
    }
    auto id = checked_id(segments[1]);
    if (segments.size() == 3) {
        if (segments[2] != "index.json") {
            throw HttpError(k_not_found, "not found");
        }
        if (!exchange.authorize(Operation::read)) {
            return;
        }
        auto versions = store.versions(id);
        if (versions.empty()) {
            throw HttpError(k_not_found, "package " + id + " not found");
        }
        exchange.send_json(k_ok, {{"versions", versions}});
        return;
    }
    auto version = checked_version(segments[2]);
    if (segments[2] != version) {
        throw HttpError(k_not_found, "not found (versions are normalised and lower case)");
    }
    const auto& file = segments[3];
    bool nupkg = file == id + "." + version + ".nupkg";
    bool nuspec = file == id + ".nuspec";
    if (!nupkg && !nuspec) {
        throw HttpError(k_not_found, "not found");
    }
    if (!exchange.authorize(Operation::read)) {
        return;
    }
    auto content = nupkg ? store.read_nupkg(id, version) : store.read_nuspec(id, version);
    if (!content) {
        throw HttpError(k_not_found, "package " + id + " " + version + " not found");
    }
    exchange.send_bytes(k_ok, nupkg ? "application/octet-stream" : "application/xml", *content);
}

std::vector<NuspecMetadata> metadata_of(const NugetStore& store,
                                        const std::string& id,
                                        const std::vector<std::string>& versions) {
    std::vector<NuspecMetadata> result;
    for (const auto& version : versions) {
        auto nuspec = store.read_nuspec(id, version);
        if (!nuspec) {
            continue;
        }
        auto metadata = parse_nuspec_metadata(*nuspec);
        metadata.version = version;
        result.push_back(metadata);
    }
    return result;
}

// v3/registration/ID/index.json and v3/registration/ID/VERSION.json
void registration(Exchange& exchange,
                  const std::vector<std::string>& segments,
                  const NugetStore& store) {
    require_method(exchange, exchange.is_get());
    if (segments.size() != 4) {
        throw HttpError(k_not_found, "not found");
    }
    auto id = checked_id(segments[2]);
    const auto& file = segments[3];
    std::vector<std::string> versions;
    if (file == "index.json") {
        versions = store.versions(id);
    } else if (file.size() > 5 && file.substr(file.size() - 5) == ".json") {
        auto version = checked_version(file.substr(0, file.size() - 5));
        versions = {version};
    } else {
        throw HttpError(k_not_found, "not found");
    }
    if (!exchange.authorize(Operation::read)) {
        return;
    }
    auto metadata = metadata_of(store, id, versions);
    if (metadata.empty()) {
        throw HttpError(k_not_found, "package " + id + " not found");
    }
    auto nuget_url = exchange.feed_url() + "nuget/";
    exchange.send_json(k_ok,
                       file == "index.json" ? nuget_registration_index(nuget_url, metadata)
                                            : nuget_registration_leaf(nuget_url, metadata[0]));
}

void push(Exchange& exchange, const NugetStore& store) {
    if (!exchange.authorize(Operation::write)) {
        return;
    }
    auto body = exchange.read_body();
    auto package = nuget_package_from_body(exchange.request().getContentType(), body);
    NupkgInfo info;
    try {
        info = read_nupkg(package);
    } catch (const FeedError& e) {
        throw HttpError(k_bad_request, e.what());
    }
    if (!store.add(info, package)) {
        throw HttpError(k_conflict,
                        "package " + info.id + " " + info.version
                            + " already exists; versions cannot be overwritten");
    }
    exchange.send_json(k_created, {{"id", info.id}, {"version", info.version}});
}

void remove(Exchange& exchange, const std::vector<std::string>& segments, const NugetStore& store) {
    auto id = checked_id(segments[3]);
    auto version = checked_version(segments[4]);
    if (!exchange.authorize(Operation::remove)) {
        return;
    }
    if (!store.remove(id, version)) {
        throw HttpError(k_not_found, "package " + id + " " + version + " not found");
    }
    exchange.send_bytes(k_no_content, "text/plain", "");
}

} // namespace

nlohmann::json nuget_service_index(const std::string& feed_url) {
    auto resource = [](const std::string& id, const char* type, const char* comment) {
        return nlohmann::json{{"@id", id}, {"@type", type}, {"comment", comment}};
    };
    auto base = feed_url + "nuget/";
    return {
        {"version", "3.0.0"},
        {"resources",
         {
             resource(base + "v3-flatcontainer/",
                      "PackageBaseAddress/3.0.0",
                      "flat container: versions, .nupkg and .nuspec"),
             resource(base + "api/v2/package",
                      "PackagePublish/2.0.0",
                      "push (PUT, multipart) and delete"),
             resource(base + "v3/registration/",
                      "RegistrationsBaseUrl/3.6.0",
                      "package metadata: what dotnet add package needs to find the latest version"),

         }},
    };
}

std::string nuget_package_from_body(const std::string& content_type, const std::string& body) {
    Poco::Net::MediaType media_type(content_type.empty() ? "application/octet-stream"
                                                         : content_type);
    if (!media_type.matches("multipart", "form-data")) {
        if (body.empty()) {
            throw HttpError(k_bad_request, "empty request body");
        }
        return body;
    }
    if (!media_type.hasParameter("boundary")) {
        throw HttpError(k_bad_request, "multipart body without a boundary");
    }
    try {
        std::istringstream in(body);
        Poco::Net::MultipartReader reader(in, media_type.getParameter("boundary"));
        if (!reader.hasNextPart()) {
            throw HttpError(k_bad_request, "multipart body without a package");
        }
        Poco::Net::MessageHeader part_header;
        reader.nextPart(part_header);
        std::ostringstream part;
        part << reader.stream().rdbuf();
        if (part.str().empty()) {
            throw HttpError(k_bad_request, "multipart body without a package");
        }
        return part.str();
    } catch (const Poco::Exception&) {
        throw HttpError(k_bad_request, "malformed multipart body");
    }
}

void handle_nuget(Exchange& exchange,
                  const std::vector<std::string>& segments,
                  const NugetStore& store) {
    if (segments.size() == 1 && segments[0] == "index.json") {
        require_method(exchange, exchange.is_get());
        if (exchange.authorize(Operation::read)) {
            exchange.send_json(k_ok, nuget_service_index(exchange.feed_url()));
        }
        return;
    }
    if (segments.size() >= 2 && segments[0] == "v3" && segments[1] == "registration") {
        registration(exchange, segments, store);
        return;
    }
    if (!segments.empty() && segments[0] == "v3-flatcontainer") {
        flat_container(exchange, segments, store);
        return;
    }
    if (segments.size() >= 3 && segments[0] == "api" && segments[1] == "v2"
        && segments[2] == "package") {
        if (segments.size() == 3) {
            require_method(exchange, exchange.method() == "PUT");
            push(exchange, store);
            return;
        }
        if (segments.size() == 5) {
            require_method(exchange, exchange.method() == "DELETE");
            remove(exchange, segments, store);
            return;
        }
    }
    throw HttpError(k_not_found, "not found");
}

} // namespace feed

// SPDX-License-Identifier: MIT
#include "npm_documents.hpp"

#include "base64.hpp"
#include "error.hpp"
#include "names.hpp"
#include "npm_package.hpp"
#include "token.hpp"

namespace feed {

namespace {

constexpr int k_bad_request = 400;
constexpr int k_not_found = 404;
constexpr int k_conflict = 409;

std::string next_revision(const nlohmann::json& packument) {
    long number = 0;
    if (packument.contains("_rev") && packument["_rev"].is_string()) {
        auto rev = packument["_rev"].get<std::string>();
        try {
            number = std::stol(rev.substr(0, rev.find('-')));
        } catch (const std::exception&) {
            number = 0;
        }
    }
    auto copy = packument;
    copy.erase("_rev");
    return std::to_string(number + 1) + "-" + sha256_hex(copy.dump()).substr(0, 32);
}

void require_object(const nlohmann::json& body) {
    if (!body.is_object()) {
        throw HttpError(k_bad_request, "the document must be a JSON object");
    }
}

void require_matching_name(const nlohmann::json& body, const std::string& name) {
    for (const char* key : {"name", "_id"}) {
        if (body.contains(key) && body[key] != name) {
            throw HttpError(k_bad_request, std::string("\"") + key + "\" does not match the URL");
        }
    }
}

const nlohmann::json& require_existing(const std::optional<nlohmann::json>& existing,
                                       const std::string& name) {
    if (!existing) {
        throw HttpError(k_not_found, "package " + name + " not found");
    }
    return *existing;
}

std::string unscoped(const std::string& name) {
    auto slash = name.find('/');
    return slash == std::string::npos ? name : name.substr(slash + 1);
}

const nlohmann::json* find_attachment(const nlohmann::json& attachments,
                                      const std::string& name,
                                      const std::string& version,
                                      std::size_t version_count) {
    for (const auto& key :
         {name + "-" + version + ".tgz", unscoped(name) + "-" + version + ".tgz"}) {
        if (attachments.contains(key)) {
            return &attachments[key];
        }
    }
    if (version_count == 1 && attachments.size() == 1) {
        return &attachments.begin().value();
    }
    return nullptr;
}

std::string decode_attachment(const nlohmann::json& attachment, const std::string& id) {
    if (!attachment.is_object() || !attachment.contains("data")
        || !attachment["data"].is_string()) {
        throw HttpError(k_bad_request, "attachment for " + id + " has no data");
    }
    auto data = decode_base64(attachment["data"].get<std::string>());
    if (!data || data->empty()) {
        throw HttpError(k_bad_request, "attachment for " + id + " is not valid base64");
    }
    if (attachment.contains("length")) {
        if (!attachment["length"].is_number_unsigned()
            || attachment["length"].get<std::size_t>() != data->size()) {
            throw HttpError(k_bad_request, "attachment for " + id + " has the wrong length");
        }
    }
    return *data;
}

void check_tarball(const std::string& data,
                   const nlohmann::json& manifest,
                   const std::string& name,
                   const std::string& version) {
    auto id = name + "@" + version;
    nlohmann::json inner;
    try {
        inner = read_npm_manifest(data);
    } catch (const FeedError& e) {
        throw HttpError(k_bad_request, std::string(e.what()) + " (" + id + ")");
    }
    if (inner["name"] != name || inner["version"] != version) {
        throw HttpError(k_bad_request, "the tarball's package.json is not " + id);
    }
    if (manifest.contains("dist") && manifest["dist"].is_object()) {
        const auto& dist = manifest["dist"];
        if (dist.contains("shasum") && dist["shasum"] != sha1_hex(data)) {
            throw HttpError(k_bad_request, "shasum does not match the tarball of " + id);
        }
        if (dist.contains("integrity") && dist["integrity"].is_string()) {
            auto integrity = dist["integrity"].get<std::string>();
            if (integrity.rfind("sha512-", 0) == 0 && integrity != sha512_integrity(data)) {
                throw HttpError(k_bad_request, "integrity does not match the tarball of " + id);
            }
        }
    }
}

nlohmann::json new_packument(const std::string& name, const std::string& now) {
    return {
        {"_id", name},
        {"name", name},
        {"dist-tags", nlohmann::json::object()},
        {"versions", nlohmann::json::object()},
        {"time", {{"created", now}, {"modified", now}}},
    };
}

std::string latest_version(const nlohmann::json& versions) {
    std::string best;
    for (const auto& [version, manifest] : versions.items()) {
        (void)manifest;
        if (best.empty() || semver_less(best, version)) {
            best = version;
        }
    }
    return best;
}

} // namespace

std::string npm_tarball_file(const std::string& name, const std::string& version) {
    return unscoped(name) + "-" + version + ".tgz";
}

NpmChange npm_publish(const nlohmann::json& body,
                      const std::string& name,
                      const std::optional<nlohmann::json>& existing,
                      const std::string& now) {
    require_object(body);
    require_matching_name(body, name);
    if (!body.contains("versions") || !body["versions"].is_object() || body["versions"].empty()) {
        throw HttpError(k_bad_request, "the document has no versions");
    }
    if (!body.contains("_attachments") || !body["_attachments"].is_object()) {
        throw HttpError(k_bad_request, "the document has no _attachments");
    }
    const auto& versions = body["versions"];
    const auto& attachments = body["_attachments"];

    NpmChange change;
    change.packument = existing ? *existing : new_packument(name, now);
    auto& stored_versions = change.packument["versions"];
    for (const auto& [version, manifest] : versions.items()) {
        auto id = name + "@" + version;
        if (!is_valid_semver(version)) {
            throw HttpError(k_bad_request, "invalid version \"" + version + "\"");
        }
        if (!manifest.is_object() || manifest.value("name", "") != name
            || manifest.value("version", "") != version) {
            throw HttpError(k_bad_request, "the manifest of " + id + " does not name it");
        }
        if (stored_versions.contains(version)) {
            throw HttpError(k_conflict,
                            "cannot publish over the previously published version " + version);
        }
        const auto* attachment = find_attachment(attachments, name, version, versions.size());
        if (!attachment) {
            throw HttpError(k_bad_request, "no tarball attached for " + id);
        }
        auto data = decode_attachment(*attachment, id);
        check_tarball(data, manifest, name, version);

        auto file = npm_tarball_file(name, version);
        auto stored = manifest;
        stored["_id"] = id;
        stored["dist"] = {
            {"tarball", name + "/-/" + file},
            {"shasum", sha1_hex(data)},
            {"integrity", sha512_integrity(data)},
        };
        stored_versions[version] = stored;
        change.packument["time"][version] = now;
        change.tarballs.push_back(NpmTarball{file, std::move(data)});
    }

    auto& tags = change.packument["dist-tags"];
    if (body.contains("dist-tags") && body["dist-tags"].is_object()) {
        for (const auto& [tag, version] : body["dist-tags"].items()) {
            if (!is_valid_dist_tag(tag) || !version.is_string()
                || !stored_versions.contains(version.get<std::string>())) {
                throw HttpError(k_bad_request, "invalid dist-tag \"" + tag + "\"");
            }
            tags[tag] = version;
        }
    }
    if (!tags.contains("latest")) {
        tags["latest"] = latest_version(stored_versions);
    }
    for (const char* key : {"description", "readme", "license", "keywords", "repository"}) {
        if (body.contains(key)) {
            change.packument[key] = body[key];
        }
    }
    change.packument["time"]["modified"] = now;
    change.packument["_rev"] = next_revision(change.packument);
    return change;
}

NpmChange npm_update_metadata(const nlohmann::json& body,
                              const std::string& name,
                              const std::optional<nlohmann::json>& existing,
                              const std::string& now) {
    require_object(body);
    require_matching_name(body, name);
    NpmChange change;
    change.packument = require_existing(existing, name);
    if (body.contains("versions") && body["versions"].is_object()) {
        auto& stored_versions = change.packument["versions"];
        for (const auto& [version, manifest] : body["versions"].items()) {
            if (!stored_versions.contains(version) || !manifest.is_object()) {
                continue;
            }
            if (manifest.contains("deprecated") && manifest["deprecated"].is_string()
                && !manifest["deprecated"].get<std::string>().empty()) {
                stored_versions[version]["deprecated"] = manifest["deprecated"];
            } else {
                stored_versions[version].erase("deprecated");
            }
        }
    }
    change.packument["time"]["modified"] = now;
    change.packument["_rev"] = next_revision(change.packument);
    return change;
}

NpmChange npm_remove_versions(const nlohmann::json& body,
                              const std::string& name,
                              const std::optional<nlohmann::json>& existing,
                              const std::string& now) {
    require_object(body);
    require_matching_name(body, name);
    if (!body.contains("versions") || !body["versions"].is_object()) {
        throw HttpError(k_bad_request, "the document has no versions");
    }
    NpmChange change;
    change.packument = require_existing(existing, name);
    auto& stored_versions = change.packument["versions"];
    std::vector<std::string> removed;
    for (const auto& [version, manifest] : stored_versions.items()) {
        (void)manifest;
        if (!body["versions"].contains(version)) {
            removed.push_back(version);
        }
    }
    for (const auto& version : removed) {
        stored_versions.erase(version);
        change.packument["time"].erase(version);
        change.obsolete.push_back(npm_tarball_file(name, version));
    }
    if (stored_versions.empty()) {
        change.packument = nullptr;
        return change;
    }
    auto& tags = change.packument["dist-tags"];
    for (auto it = tags.begin(); it != tags.end();) {
        if (!it.value().is_string() || !stored_versions.contains(it.value().get<std::string>())) {
            it = tags.erase(it);
        } else {
            ++it;
        }
    }
    if (!tags.contains("latest")) {
        tags["latest"] = latest_version(stored_versions);
    }
    change.packument["time"]["modified"] = now;
    change.packument["_rev"] = next_revision(change.packument);
    return change;
}

nlohmann::json npm_packument_for_client(const nlohmann::json& stored,
                                        const std::string& registry_url) {
    auto packument = stored;
    for (auto& [version, manifest] : packument["versions"].items()) {
        (void)version;
        if (manifest.contains("dist") && manifest["dist"].contains("tarball")) {
            manifest["dist"]["tarball"] =
                registry_url + manifest["dist"]["tarball"].get<std::string>();
        }
    }
    return packument;
}

std::optional<nlohmann::json> npm_find_version(const nlohmann::json& stored,
                                               const std::string& version_or_tag,
                                               const std::string& registry_url) {
    auto packument = npm_packument_for_client(stored, registry_url);
    auto version = version_or_tag;
    if (packument["dist-tags"].contains(version_or_tag)) {
        version = packument["dist-tags"][version_or_tag].get<std::string>();
    }
    if (!packument["versions"].contains(version)) {
        return std::nullopt;
    }
    return packument["versions"][version];
}

} // namespace feed

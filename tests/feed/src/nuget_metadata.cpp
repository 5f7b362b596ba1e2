// SPDX-License-Identifier: MIT
#include "nuget_metadata.hpp"

#include "error.hpp"
#include "names.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>

namespace feed {

namespace {

std::vector<Poco::XML::Element*> child_elements(Poco::XML::Node* parent, const std::string& name) {
    std::vector<Poco::XML::Element*> found;
    for (auto* node = parent ? parent->firstChild() : nullptr; node; node = node->nextSibling()) {
        if (node->nodeType() == Poco::XML::Node::ELEMENT_NODE && node->localName() == name) {
            found.push_back(static_cast<Poco::XML::Element*>(node));
        }
    }
    return found;
}

std::string child_text(Poco::XML::Node* parent, const std::string& name) {
    auto children = child_elements(parent, name);
    return children.empty() ? "" : children.front()->innerText();
}

nlohmann::json dependencies_of(Poco::XML::Node* parent) {
    nlohmann::json dependencies = nlohmann::json::array();
    for (auto* dependency : child_elements(parent, "dependency")) {
        nlohmann::json item = {{"id", dependency->getAttribute("id")}};
        if (dependency->hasAttribute("version")) {
            item["range"] = dependency->getAttribute("version");
        }
        dependencies.push_back(item);
    }
    return dependencies;
}

std::string page_id(const std::string& nuget_url, const std::string& id) {
    return nuget_url + "v3/registration/" + to_lower(id) + "/index.json";
}

nlohmann::json catalog_entry(const std::string& nuget_url, const NuspecMetadata& version) {
    auto id = to_lower(version.id);
    return {
        {"@id", nuget_url + "v3/registration/" + id + "/" + version.version + ".json"},
        {"@type", "PackageDetails"},
        {"id", version.id},
        {"version", version.version},
        {"listed", true},
        {"description", version.description},
        {"authors", version.authors},
        {"dependencyGroups", version.dependency_groups},
        {"packageContent",
         nuget_url + "v3-flatcontainer/" + id + "/" + version.version + "/" + id + "."
             + version.version + ".nupkg"},
    };
}

} // namespace

NuspecMetadata parse_nuspec_metadata(const std::string& nuspec) {
    try {
        Poco::XML::DOMParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(nuspec);
        auto metadata = child_elements(document->documentElement(), "metadata");
        if (metadata.empty()) {
            throw FeedError("the .nuspec has no metadata");
        }
        NuspecMetadata result;
        result.id = child_text(metadata[0], "id");
        result.version = normalize_nuget_version(child_text(metadata[0], "version")).value_or("");
        result.description = child_text(metadata[0], "description");
        result.authors = child_text(metadata[0], "authors");
        for (auto* dependencies : child_elements(metadata[0], "dependencies")) {
            for (auto* group : child_elements(dependencies, "group")) {
                nlohmann::json item = {{"dependencies", dependencies_of(group)}};
                if (group->hasAttribute("targetFramework")) {
                    item["targetFramework"] = group->getAttribute("targetFramework");
                }
                result.dependency_groups.push_back(item);
            }
            auto loose = dependencies_of(dependencies);
            if (!loose.empty()) {
                result.dependency_groups.push_back({{"dependencies", loose}});
            }
        }
        return result;
    } catch (const Poco::Exception& e) {
        throw FeedError("the .nuspec is not well-formed XML: " + e.displayText());
    }
}

nlohmann::json nuget_registration_index(const std::string& nuget_url,
                                        const std::vector<NuspecMetadata>& versions) {
    auto index = page_id(nuget_url, versions.front().id);
    nlohmann::json items = nlohmann::json::array();
    for (const auto& version : versions) {
        items.push_back(nuget_registration_leaf(nuget_url, version));
    }
    nlohmann::json page = {
        {"@id", index + "#page/" + versions.front().version + "/" + versions.back().version},
        {"@type", "catalog:CatalogPage"},
        {"count", versions.size()},
        {"lower", versions.front().version},
        {"upper", versions.back().version},
        {"parent", index},
        {"items", items},
    };
    return {
        {"@id", index},
        {"@type", {"catalog:CatalogRoot", "PackageRegistration", "catalog:Permalink"}},
        {"count", 1},
        {"items", {page}},
    };
}

nlohmann::json nuget_registration_leaf(const std::string& nuget_url,
                                       const NuspecMetadata& version) {
    auto id = to_lower(version.id);
    return {
        {"@id", nuget_url + "v3/registration/" + id + "/" + version.version + ".json"},
        {"@type", {"Package", "http://schema.nuget.org/catalog#Permalink"}},
        {"catalogEntry", catalog_entry(nuget_url, version)},
        {"listed", true},
        {"packageContent",
         nuget_url + "v3-flatcontainer/" + id + "/" + version.version + "/" + id + "."
             + version.version + ".nupkg"},
        {"registration", page_id(nuget_url, version.id)},
    };
}

} // namespace feed

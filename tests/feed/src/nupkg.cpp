// SPDX-License-Identifier: MIT
#include "nupkg.hpp"

#include "error.hpp"
#include "names.hpp"
#include "zip.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/DOM/DOMParser.h>
#include <Poco/DOM/Document.h>
#include <Poco/DOM/Element.h>
#include <Poco/DOM/Node.h>
#include <Poco/DOM/NodeList.h>
#include <Poco/Exception.h>
#include <Poco/SAX/XMLReader.h>

namespace feed {

namespace {

constexpr std::size_t k_max_nuspec_size = 1024 * 1024;

Poco::XML::Node* child_element(Poco::XML::Node* parent, const std::string& local_name) {
    for (auto* node = parent->firstChild(); node != nullptr; node = node->nextSibling()) {
        if (node->nodeType() == Poco::XML::Node::ELEMENT_NODE && node->localName() == local_name) {
            return node;
        }
    }
    return nullptr;
}

std::string text_of(Poco::XML::Node* node) {
    auto text = node->innerText();
    auto first = text.find_first_not_of(" \t\r\n");
    auto last = text.find_last_not_of(" \t\r\n");
    return first == std::string::npos ? "" : text.substr(first, last - first + 1);
}

std::string escape_xml(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace

NupkgInfo read_nupkg(std::string_view package) {
    std::vector<std::string> names;
    try {
        names = zip_entry_names(package);
    } catch (const FeedError& e) {
        throw FeedError(std::string("invalid package: ") + e.what());
    }
    std::string nuspec_name;
    for (auto& name : names) {
        if (name.find('/') == std::string::npos && name.size() > 7
            && to_lower(name.substr(name.size() - 7)) == ".nuspec") {
            if (!nuspec_name.empty()) {
                throw FeedError("invalid package: more than one .nuspec");
            }
            nuspec_name = name;
        }
    }
    if (nuspec_name.empty()) {
        throw FeedError("invalid package: no .nuspec at the root of the archive");
    }
    NupkgInfo info;
    try {
        info.nuspec = zip_read_entry(package, nuspec_name, k_max_nuspec_size).value_or("");
    } catch (const FeedError& e) {
        throw FeedError(std::string("invalid package: ") + e.what());
    }

    std::string version;
    try {
        Poco::XML::DOMParser parser;
        parser.setFeature(Poco::XML::XMLReader::FEATURE_NAMESPACES, true);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_GENERAL_ENTITIES, false);
        parser.setFeature(Poco::XML::XMLReader::FEATURE_EXTERNAL_PARAMETER_ENTITIES, false);
        Poco::AutoPtr<Poco::XML::Document> document = parser.parseString(info.nuspec);
        auto* root = document->documentElement();
        auto* metadata =
            root && root->localName() == "package" ? child_element(root, "metadata") : nullptr;
        auto* id = metadata ? child_element(metadata, "id") : nullptr;
        auto* version_node = metadata ? child_element(metadata, "version") : nullptr;
        if (!id || !version_node) {
            throw FeedError("invalid package: the .nuspec has no package/metadata/id and version");
        }
        info.id = text_of(id);
        version = text_of(version_node);
    } catch (const Poco::Exception& e) {
        throw FeedError("invalid package: the .nuspec is not well-formed XML: " + e.displayText());
    }
    if (!is_valid_nuget_id(info.id)) {
        throw FeedError("invalid package: bad package id");
    }
    auto normalized = normalize_nuget_version(version);
    if (!normalized) {
        throw FeedError("invalid package: bad version");
    }
    info.version = *normalized;
    return info;
}

std::string make_nupkg(const std::string& id,
                       const std::string& version,
                       const std::optional<std::string>& custom_nuspec) {
    std::string nuspec = custom_nuspec ? *custom_nuspec : R"(<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>)" + escape_xml(id) + R"(</id>
    <version>)" + escape_xml(version) + R"(</version>
    <authors>feedz-test-feed</authors>
    <description>A test package made by feedz-test-feed.</description>
    <dependencies>
      <group targetFramework=".NETStandard2.0" />
    </dependencies>
  </metadata>
</package>
)";
    std::string content_types = R"(<?xml version="1.0" encoding="utf-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
  <Default Extension="nuspec" ContentType="application/octet" />
  <Default Extension="_" ContentType="application/octet" />
</Types>
)";
    return zip_create({
        {"[Content_Types].xml", content_types},
        {id + ".nuspec", nuspec},
        {"lib/netstandard2.0/_._", ""},
    });
}

} // namespace feed

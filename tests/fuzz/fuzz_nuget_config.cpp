// SPDX-License-Identifier: MIT
// The XML scanner and the NuGet.Config editor. Beyond not crashing: for any document the
// scanner accepts, the edit login makes (a source, expanding <packageSources /> or adding the
// section) followed by the undo logout makes gives back the original bytes.
#include "fuzz_support.hpp"
#include <agent/nuget/nuget_config.hpp>
#include <agent/nuget/xml_document.hpp>

#include <sys/mman.h>
#include <unistd.h>

#include <optional>

using feedz::NuGetConfig;
using feedz::XmlDocument;

namespace {

// NuGetConfig reads files: the input goes into a memory file, read through /proc.
std::optional<NuGetConfig> load_from_memory(std::string_view text) {
    static const int fd = ::memfd_create("NuGet.Config", 0);
    if (fd < 0 || ::ftruncate(fd, 0) != 0
        || ::pwrite(fd, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size())) {
        std::abort();
    }
    auto config = NuGetConfig::load("/proc/self/fd/" + std::to_string(fd));
    if (!config) {
        return std::nullopt;
    }
    return std::move(*config);
}

void exercise_scanner(const XmlDocument& document) {
    for (std::size_t index = 0; index < document.elements().size(); ++index) {
        const auto& element = document.element(index);
        FUZZ_REQUIRE(element.begin < element.start_tag_end && element.start_tag_end <= element.end);
        FUZZ_REQUIRE(element.end <= document.text().size());
        (void)document.line_indent(element.begin);
        (void)document.line_of(element.end);
    }
    (void)document.indent_unit();
    (void)document.line_ending();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string input(feedz::fuzz::as_text(data, size));
    auto document = XmlDocument::parse(input, "fuzz.xml");
    if (document) {
        FUZZ_REQUIRE(document->text() == input);
        exercise_scanner(*document);
    }
    if (input.empty()) {
        return 0; // NuGetConfig reads an empty file as a missing one
    }
    auto config = load_from_memory(input);
    if (!config) {
        return 0;
    }
    (void)config->sources();
    const std::string url = "https://fuzz.example/org/repo/nuget/index.json";
    if (config->key_of_url(url) || config->has_key("fuzz/key")) {
        return 0;
    }
    // login's edit (agent/nuget/nuget_login.cpp), then logout's undo in logout's order.
    const bool new_section = !config->has_section("packageSources");
    std::optional<std::pair<std::string, std::string>> collapsed;
    for (const char* name : {"packageSources", "configuration"}) {
        if (auto text = config->self_closing_text(name)) {
            collapsed.emplace(name, *text);
            break;
        }
    }
    if (!config->add_source("fuzz/key", url)) {
        return 0; // refused with an error: nothing to undo
    }
    FUZZ_REQUIRE(config->key_of_url(url) == "fuzz/key");
    auto reread = XmlDocument::parse(config->text(), "edited.xml");
    FUZZ_REQUIRE(reread.has_value());

    auto removed = config->remove_source("fuzz/key", url);
    FUZZ_REQUIRE(removed && *removed);
    if (new_section) {
        FUZZ_REQUIRE(config->remove_section_if_empty("packageSources").has_value());
    }
    if (collapsed) {
        FUZZ_REQUIRE(config->restore_self_closing(collapsed->first, collapsed->second).has_value());
    }
    FUZZ_REQUIRE(config->text() == input);
    return 0;
}

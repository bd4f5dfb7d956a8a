// Reading graph files and applying --set overrides, with errors that say where.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lf {

// Parses a JSON file; throws InputError "<file>:<line>:<col>: <what>" on malformed JSON, a key
// written twice in one object, nesting deeper than 512 levels, and numbers past double's range.
nlohmann::json read_json_file(const std::string& path);

// Parses JSON text with read_json_file's checks (InputError "<where>:<line>:<col>: ..."), but
// malformed text is nlohmann's parse_error.
nlohmann::json parse_json_text(const std::string& text, const std::string& where);

// Applies one override "a.b.c=value" with set_path and returns the pointer it wrote. The value is
// parsed as JSON when it parses (400, 0.1, true, [1,2], "x", null), else taken as a string.
// Throws InputError naming the override.
std::string apply_override(nlohmann::json& doc, const std::string& set);

// Sets the value at a dotted path ("blocks.rssm.deter", list items by index) and returns the JSON
// pointer it wrote. The parent of the last key must exist; the key itself may be new (validation
// then judges it like any key of the file); a null value removes the key. Throws
// std::invalid_argument saying which part of the path is missing.
std::string set_path(nlohmann::json& doc, const std::string& path, nlohmann::json value);

// Writes text to `path` atomically: a temporary file in the same folder, flushed to disk, then
// renamed over `path`.
void write_file_atomic(const std::string& path, const std::string& text);
// The last part of an atomic write: flushes `tmp` to disk and renames it to `path`.
void commit_file(const std::string& tmp, const std::string& path);

}  // namespace lf

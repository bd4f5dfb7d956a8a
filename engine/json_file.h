// Reading graph files and applying --set overrides, with errors that say where.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace lf {

// Parses a JSON file; throws InputError "<file>:<line>:<col>: <what>" on malformed JSON.
nlohmann::json read_json_file(const std::string& path);

// Applies "a.b.c=value" overrides. The value is parsed as JSON when it parses (400, 0.1, true,
// [1,2], "x"), else taken as a string. The parent of the last key must exist; the key itself may be
// new (validation then judges it like any key of the file). Throws InputError naming the override.
void apply_overrides(nlohmann::json& doc, const std::vector<std::string>& sets);

// Writes text to `path` atomically: a temporary file in the same folder, flushed to disk, then
// renamed over `path`.
void write_file_atomic(const std::string& path, const std::string& text);
// The last part of an atomic write: flushes `tmp` to disk and renames it to `path`.
void commit_file(const std::string& tmp, const std::string& path);

}  // namespace lf

// Fuzzing graph loading and validation (issue 17): the repository's graph files, mutated at random
// (bytes of the text, or values of the parsed document: other types, extreme numbers, long or
// empty strings, deleted keys, deep copies of subtrees), must load into diagnostics or an
// InputError, never a crash, a hang or another exception. A fixed seed and a time budget:
// LF_FUZZ_SECONDS (default 20) and LF_FUZZ_SEED (default 1). A failing input is written to
// fuzz_failure.json in the working directory, to replay it with `engine validate`.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "diagnostics.h"
#include "workspace.h"

namespace fuzz_graphs_test {

const lf::Workspace& ws() {
  static const auto* w = new lf::Workspace({LATENTFLOW_TEST_PLUGIN_DIR});
  return *w;
}

double env_or(const char* name, double fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atof(v) : fallback;
}

// Every pointer of a document, for choosing where to mutate.
void pointers(const nlohmann::json& j, const nlohmann::json::json_pointer& at, std::vector<nlohmann::json::json_pointer>& out) {
  out.push_back(at);
  if (j.is_object())
    for (const auto& [k, v] : j.items()) pointers(v, at / k, out);
  else if (j.is_array())
    for (size_t i = 0; i < j.size(); ++i) pointers(j[i], at / i, out);
}

class Mutator {
 public:
  explicit Mutator(uint64_t seed) : rng_(seed) {}

  size_t below(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }

  // A value of a random kind, some of them hostile.
  nlohmann::json value(const nlohmann::json& doc, const std::vector<nlohmann::json::json_pointer>& all) {
    switch (below(12)) {
      case 0: return nullptr;
      case 1: return below(2) == 0;
      case 2: return std::vector<int64_t>{0, -1, 1, 2, 7, 1 << 20, INT64_MAX, INT64_MIN}[below(8)];
      case 3: return std::vector<double>{0.0, -0.5, 1e-300, 1e300, -1e308, 3.5}[below(6)];
      case 4: return "";
      case 5: return std::string(below(2) ? 3 : 5000, "abxyz$.{}"[below(9)]);
      case 6: return nlohmann::json::array();
      case 7: return nlohmann::json::object();
      case 8: return std::vector<std::string>{"${", "${x}", "${1/0}", "$in", "a.b", "nn.mlp", "envs.dmc", "last",
                                              "${vars}", "../x.json"}[below(10)];
      case 9: return doc.at(all[below(all.size())]);  // a copy of another part
      case 10: return nlohmann::json::array({doc.at(all[below(all.size())])});
      default: return nlohmann::json{{"type", "nn.linear"}, {"in_dim", 3}, {"out_dim", 2}};
    }
  }

  // The document with one to four values replaced, deleted or renamed.
  nlohmann::json mutate_doc(nlohmann::json doc) {
    for (size_t n = 1 + below(4); n > 0; --n) {
      std::vector<nlohmann::json::json_pointer> all;
      pointers(doc, nlohmann::json::json_pointer(), all);
      const auto at = all[below(all.size())];
      if (at.empty()) continue;
      const auto parent = at.parent_pointer();
      nlohmann::json& p = doc.at(parent);
      const std::string key = at.back();
      switch (below(4)) {
        case 0:
          if (p.is_object()) p.erase(key);
          else p.erase(std::stoul(key));
          break;
        case 1:
          if (p.is_object()) {
            nlohmann::json moved = p[key];
            p.erase(key);
            p[key + std::string(1, "_x1"[below(3)])] = std::move(moved);
            break;
          }
          [[fallthrough]];
        default:
          doc.at(at) = value(doc, all);
      }
    }
    return doc;
  }

  // The text with a few bytes flipped, inserted or deleted.
  std::string mutate_text(std::string text) {
    for (size_t n = 1 + below(3); n > 0 && !text.empty(); --n) {
      const size_t i = below(text.size());
      switch (below(3)) {
        case 0: text[i] = "{}[]\",:0e-9 \\\x01\xff"[below(15)]; break;
        case 1: text.insert(i, 1, "{[\"0,:"[below(6)]); break;
        default: text.erase(i, 1 + below(8));
      }
    }
    return text;
  }

 private:
  std::mt19937_64 rng_;
};

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

TEST(FuzzGraphs, MutatedGraphsLoadIntoErrorsNeverCrashes) {
  // A copy of graphs/, so that a mutated text is read from a file beside the bases it extends.
  const auto dir = std::filesystem::temp_directory_path() / ("lf_fuzz_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::copy(std::filesystem::path(LATENTFLOW_SOURCE_DIR) / "graphs", dir / "graphs",
                        std::filesystem::copy_options::recursive);
  std::vector<std::filesystem::path> seeds;
  for (const auto& sub : {dir / "graphs", dir / "graphs/examples"})
    for (const auto& e : std::filesystem::directory_iterator(sub))
      if (e.path().extension() == ".json") seeds.push_back(e.path());
  std::sort(seeds.begin(), seeds.end());
  ASSERT_GT(seeds.size(), 5u);
  const auto mutated = dir / "graphs/fuzz.json";

  Mutator m(static_cast<uint64_t>(env_or("LF_FUZZ_SEED", 1)));
  const auto budget = std::chrono::duration<double>(env_or("LF_FUZZ_SECONDS", 20));
  const auto start = std::chrono::steady_clock::now();
  int runs = 0, valid = 0;
  while (std::chrono::steady_clock::now() - start < budget) {
    const auto& file = seeds[m.below(seeds.size())];
    const std::string text = read_text(file);
    const bool as_text = m.below(4) == 0;
    std::string input;
    try {
      lf::Diagnostics d;
      if (as_text) {
        input = m.mutate_text(text);
        std::ofstream(mutated) << input;
        ws().load_graph({mutated.string(), {}, {}}, d);
      } else {
        const nlohmann::json doc = m.mutate_doc(nlohmann::json::parse(text));
        input = doc.dump(1);
        ws().load_graph_json(doc, file.string(), d);
      }
      valid += d.empty();
    } catch (const lf::InputError&) {
      // Bad input the loader refused as a whole (malformed text, an unreadable base): fine.
    } catch (const std::exception& e) {
      std::ofstream("fuzz_failure.json") << input;
      FAIL() << "mutation of " << file.filename() << " (run " << runs << ", written to fuzz_failure.json) threw "
             << lf::clip_text(e.what(), 300) << " instead of reporting it";
    }
    ++runs;
  }
  std::filesystem::remove_all(dir);
  std::cout << runs << " mutated graphs loaded in " << budget.count() << " s, " << valid << " of them valid\n";
  EXPECT_GT(runs, 10);
}

}  // namespace fuzz_graphs_test

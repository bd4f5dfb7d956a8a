#include "checkpoint.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/ATen.h>
#include <c10/core/GradMode.h>
#include <fmt/format.h>
#include <torch/nn/module.h>
#include <torch/serialize.h>
#include <zlib.h>

#include "json_file.h"
#include "latentflow/node.h"
#include "runtime.h"

namespace lf {

namespace {

constexpr int kFormat = 1;

at::Tensor text_tensor(const std::string& s) {
  auto t = at::empty({static_cast<int64_t>(s.size())}, at::kByte);
  std::memcpy(t.data_ptr<uint8_t>(), s.data(), s.size());
  return t;
}

std::string tensor_text(const at::Tensor& t) {
  auto c = t.contiguous();
  return {reinterpret_cast<const char*>(c.data_ptr<uint8_t>()), static_cast<size_t>(c.numel())};
}

// Parameters and buffers by their dotted names.
std::vector<std::pair<std::string, at::Tensor>> weights_of(torch::nn::Module& m) {
  std::vector<std::pair<std::string, at::Tensor>> out;
  for (const auto& p : m.named_parameters()) out.emplace_back(p.key(), p.value());
  for (const auto& b : m.named_buffers()) out.emplace_back("buffer:" + b.key(), b.value());
  return out;
}

uint32_t checksum(const at::Tensor& t) {
  const at::Tensor c = t.contiguous();
  return static_cast<uint32_t>(crc32_z(0, static_cast<const Bytef*>(c.data_ptr()), c.nbytes()));
}

// What tensor i of a checkpoint holds, for messages: "block 'x' weight 'w'", ...
std::string tensor_name(const nlohmann::json& manifest, size_t i) {
  const nlohmann::json none = nlohmann::json::object();
  if (manifest.value("generator", size_t{0}) == i) return "torch's generator state";
  const auto& blocks = manifest.contains("blocks") ? manifest["blocks"] : none;
  for (const auto& [name, entry] : blocks.items())
    for (const char* part : {"weights", "state"})
      if (entry.contains(part))
        for (const auto& [key, index] : entry[part].items())
          if (index == i) return fmt::format("block '{}' {} '{}'", name, part == std::string("weights") ? "weight" : "state", key);
  const auto& sites = manifest.contains("call_sites") ? manifest["call_sites"] : none;
  for (const auto& [site, entry] : sites.items())
    for (const auto& [key, index] : entry.items())
      if (index == i) return fmt::format("call site '{}' state '{}'", site, key);
  const auto& rollouts = manifest.contains("rollouts") ? manifest["rollouts"] : none;
  for (const auto& [pointer, entry] : rollouts.items())
    for (const auto& [key, index] : entry.items())
      if (index == i) return fmt::format("the rollout at {}: '{}'", pointer, key);
  return fmt::format("tensor {}", i);
}

// torch::save through a writer that never reports a short write: torch's zip writer throws from
// its destructor on one (a disk-full save died with SIGABRT), so the first failure is remembered,
// the rest of the archive is dropped, and the error is raised here once torch is done. The
// temporary file goes; the previous checkpoint stays.
void write_tensors(const std::vector<at::Tensor>& tensors, const std::string& path) {
  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp, std::strerror(errno)));
  int error = 0;
  torch::save(tensors, [&](const void* data, size_t n) -> size_t {
    if (error == 0 && n > 0 && std::fwrite(data, 1, n, f) != n) error = errno ? errno : EIO;
    return n;
  });
  if (std::fflush(f) != 0 && error == 0) error = errno;
  if (std::fclose(f) != 0 && error == 0) error = errno;
  try {
    if (error != 0) throw std::runtime_error(fmt::format("cannot write {}: {}", tmp, std::strerror(error)));
    commit_file(tmp, path);
  } catch (const std::exception& e) {
    std::remove(tmp.c_str());
    throw std::runtime_error(std::string(e.what()) + "; the previous checkpoint, if any, is kept");
  }
}

}  // namespace

void save_checkpoint(const std::string& path, Runtime& rt, const nlohmann::json& program,
                     const std::map<std::string, TensorDict>& rollouts) {
  std::vector<at::Tensor> tensors{at::Tensor()};  // [0]: the manifest, filled last
  auto add = [&](const at::Tensor& t) {
    tensors.push_back(t.detach().cpu().contiguous());
    return tensors.size() - 1;
  };
  nlohmann::json manifest = {{"format", kFormat}, {"program", program}, {"blocks", nlohmann::json::object()}};
  manifest["generator"] = add(at::detail::getDefaultCPUGenerator().get_state());
  for (const auto& [name, _] : rt.graph().blocks) {
    Node& node = rt.block(name);
    nlohmann::json entry = {{"weights", nlohmann::json::object()}, {"state", nlohmann::json::object()}};
    if (auto* m = node.module())
      for (const auto& [key, t] : weights_of(*m)) entry["weights"][key] = add(t);
    TensorDict state;
    node.save_state(state);
    for (const auto& [key, t] : state) {
      if (!t.defined()) throw std::runtime_error(fmt::format("block '{}' saved an undefined tensor '{}'", name, key));
      entry["state"][key] = add(t);
    }
    manifest["blocks"][name] = entry;
  }
  manifest["call_sites"] = nlohmann::json::object();
  for (const auto& [key, node] : rt.call_site_state()) {
    TensorDict state;
    node->save_state(state);
    nlohmann::json entry = nlohmann::json::object();
    for (const auto& [k, t] : state) entry[k] = add(t);
    manifest["call_sites"][key] = entry;
  }
  manifest["rollouts"] = nlohmann::json::object();
  for (const auto& [pointer, state] : rollouts) {
    nlohmann::json entry = nlohmann::json::object();
    for (const auto& [k, t] : state) entry[k] = add(t);
    manifest["rollouts"][pointer] = entry;
  }
  // The zip's own CRCs are not checked when torch reads it: each tensor carries ours.
  manifest["crc32"] = nlohmann::json::array({0});
  for (size_t i = 1; i < tensors.size(); ++i) manifest["crc32"].push_back(checksum(tensors[i]));
  tensors[0] = text_tensor(manifest.dump());
  write_tensors(tensors, path);
}

nlohmann::json load_checkpoint(const std::string& path, Runtime& rt, std::map<std::string, TensorDict>* rollouts) {
  std::vector<at::Tensor> tensors;
  try {
    torch::load(tensors, path);
  } catch (const std::exception& e) {
    throw std::runtime_error(fmt::format("{}: not a readable checkpoint ({})", path, std::string(e.what()).substr(0, 200)));
  }
  nlohmann::json manifest;
  try {
    if (tensors.empty()) throw std::runtime_error("empty");
    manifest = nlohmann::json::parse(tensor_text(tensors[0]));
  } catch (const std::exception&) {
    throw std::runtime_error(path + ": not a LatentFlow checkpoint (no manifest)");
  }
  if (manifest.value("format", 0) != kFormat)
    throw std::runtime_error(fmt::format("{}: checkpoint format {} (this engine reads {})", path, manifest.value("format", 0), kFormat));
  if (manifest.contains("crc32")) {  // checkpoints written before checksums have none
    const auto& crc = manifest["crc32"];
    if (!crc.is_array() || crc.size() != tensors.size())
      throw std::runtime_error(path + ": damaged checkpoint (its checksums do not match its tensors)");
    for (size_t i = 1; i < tensors.size(); ++i)
      if (crc[i] != checksum(tensors[i]))
        throw std::runtime_error(fmt::format("{}: damaged checkpoint: {} fails its checksum", path, tensor_name(manifest, i)));
  }
  auto tensor = [&](const nlohmann::json& index) -> const at::Tensor& {
    const auto i = index.get<size_t>();
    if (i == 0 || i >= tensors.size()) throw std::runtime_error(path + ": manifest names a missing tensor");
    return tensors[i];
  };
  const auto& blocks = manifest.at("blocks");
  for (const auto& [name, _] : rt.graph().blocks) {
    if (!blocks.contains(name))
      throw std::runtime_error(fmt::format("{}: no block '{}' in the checkpoint (was the graph changed?)", path, name));
  }
  c10::NoGradGuard no_grad;
  for (const auto& [name, entry] : blocks.items()) {
    if (!rt.graph().blocks.count(name))
      throw std::runtime_error(fmt::format("{}: the checkpoint has block '{}', which the graph does not", path, name));
    Node& node = rt.block(name);
    const auto& saved = entry.at("weights");
    if (auto* m = node.module()) {
      const auto mine = weights_of(*m);
      if (mine.size() != saved.size())
        throw std::runtime_error(fmt::format("{}: block '{}' has {} weight tensors, the checkpoint {}", path, name, mine.size(), saved.size()));
      for (const auto& [key, t] : mine) {
        if (!saved.contains(key))
          throw std::runtime_error(fmt::format("{}: block '{}': no weight '{}' in the checkpoint", path, name, key));
        const at::Tensor& v = tensor(saved[key]);
        if (!v.sizes().equals(t.sizes()))
          throw std::runtime_error(fmt::format("{}: block '{}' weight '{}': checkpoint {}, graph {}", path, name, key, shape_text(v.sizes()), shape_text(t.sizes())));
        // In place: optimizers hold these very tensors.
        at::Tensor(t).copy_(v);
      }
    } else if (!saved.empty()) {
      throw std::runtime_error(fmt::format("{}: block '{}' has weights in the checkpoint but none in the graph", path, name));
    }
    TensorDict state;
    for (const auto& [key, index] : entry.at("state").items()) state[key] = tensor(index);
    try {
      node.load_state(state);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("{}: block '{}': {}", path, name, e.what()));
    }
  }
  const auto& sites = manifest.at("call_sites");
  if (sites.size() != rt.call_site_state().size())
    throw std::runtime_error(fmt::format("{}: {} stateful call-site nodes in the checkpoint, {} in the graph", path,
                                         sites.size(), rt.call_site_state().size()));
  for (const auto& [key, node] : rt.call_site_state()) {
    if (!sites.contains(key)) throw std::runtime_error(fmt::format("{}: no state for call site '{}' in the checkpoint", path, key));
    TensorDict state;
    for (const auto& [k, index] : sites[key].items()) state[k] = tensor(index);
    try {
      node->load_state(state);
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("{}: call site '{}': {}", path, key, e.what()));
    }
  }
  // Checkpoints written before rollouts were saved have none: their rollouts start over.
  if (rollouts && manifest.contains("rollouts"))
    for (const auto& [pointer, entry] : manifest["rollouts"].items())
      for (const auto& [k, index] : entry.items()) (*rollouts)[pointer][k] = tensor(index);
  auto generator = at::detail::getDefaultCPUGenerator();
  generator.set_state(tensor(manifest.at("generator")));
  return manifest.at("program");
}

}  // namespace lf

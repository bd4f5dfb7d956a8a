// TensorBoard event files: a run's metrics as scalar summaries, the format TensorBoard reads from
// any file whose name holds "tfevents" (`tensorboard --logdir runs/`). Each record is a TFRecord
// frame (length, masked CRC-32C of the length, data, masked CRC-32C of the data) around a
// tensorflow.Event protobuf; a new file starts with the event that names the format version.
//
// The few protobuf fields are encoded here by hand: the message definitions live in TensorFlow's
// sources, which no Debian package ships, and scalars need three messages with six fields.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lf {

class EventFileWriter {
 public:
  // Appends to `path` (created if missing). Throws std::runtime_error naming the path when it
  // cannot be written.
  explicit EventFileWriter(std::string path);

  // One event at `step` with one scalar summary value per (tag, value); flushed before returning.
  // `wall_time` is in seconds since the Unix epoch.
  void write_scalars(int64_t step, double wall_time, const std::vector<std::pair<std::string, double>>& values);

 private:
  void write_record(const std::string& event);

  std::string path_;
  std::ofstream out_;
};

// CRC-32C (Castagnoli) of `data`, masked as TFRecord frames store it.
uint32_t masked_crc32c(std::string_view data);

}  // namespace lf

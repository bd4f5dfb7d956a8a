// Images and videos a run writes for people to look at: one frame as a PNG (stb), a sequence of
// frames as a looping animated GIF (giflib, a palette of 256 colours per frame). Both are written
// atomically, so a stopped run never leaves half a file.
#pragma once

#include <string>

#include <ATen/core/Tensor.h>

namespace lf {

// [..., H, W, 3] as contiguous u8: u8 passes through, floats are read as [0, 1] and clipped.
// Throws std::invalid_argument naming `what` for another shape or dtype.
at::Tensor to_rgb8(const at::Tensor& image, const std::string& what);

// image [H, W, 3] (see to_rgb8).
void write_png(const std::string& path, const at::Tensor& image);
// frames [T, H, W, 3] (see to_rgb8), shown at `fps` frames per second.
void write_gif(const std::string& path, const at::Tensor& frames, int fps = 20);

}  // namespace lf

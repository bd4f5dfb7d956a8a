// Offscreen rendering of a MuJoCo model on the CPU: an EGL context on Mesa's surfaceless platform
// (no display, no window), MuJoCo's renderer drawing into its offscreen buffer, in one of two looks:
// DMC's (the model's shadows and 4x multisampling, floor reflections: the frames published pixel
// scores were learned from) or a fast one without the three (PLATFORM.md: 1800 frames/s at 64x64
// instead of 82; bench/README.md "Rendering"). Each renderer owns a context and makes it current
// on the calling thread, so it renders from any worker thread, one call at a time. A renderer
// only reads the model, so any number of renderers (and environments) may share one; a
// RendererPool shares a few renderers among all the instances of a vector.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include <mujoco/mujoco.h>

namespace lf::envs {

enum class Look { Dmc, Fast };

class Renderer {
 public:
  // Throws std::runtime_error when no EGL/GL implementation is available, saying what to install.
  // `model` must outlive the renderer; it is not modified.
  Renderer(const mjModel* model, int width, int height, Look look = Look::Fast);
  ~Renderer();
  Renderer(const Renderer&) = delete;
  Renderer& operator=(const Renderer&) = delete;

  // Renders the current state of `data` from `camera` (a model camera id; -1 = the free camera)
  // into rgb (height x width x 3, top row first).
  void render(const mjData* data, int camera, uint8_t* rgb);

  int width() const { return width_; }
  int height() const { return height_; }

 private:
  struct Gl;
  std::unique_ptr<Gl> gl_;
  const mjModel* model_;
  int width_, height_;
};

// `count` renderers of one model, lent to whichever thread renders. Building a renderer costs
// ~0.1 s (mjr_makeContext uploads the model's textures), rendering a 64x64 frame ~0.3 ms: a vector
// of environments needs as many renderers as threads render at once, not one per instance. A
// frame depends only on the model, the data and the camera, never on which renderer drew it.
class RendererPool {
 public:
  // Builds all `count` (>= 1) renderers now, on the calling thread: mjr_makeContext reloads
  // MuJoCo's process-wide table of GL functions, which rendering threads read.
  RendererPool(const mjModel* model, int width, int height, Look look, int count);

  // As Renderer::render, with a free renderer; waits for one when `count` threads are rendering.
  void render(const mjData* data, int camera, uint8_t* rgb);

  int size() const { return static_cast<int>(all_.size()); }

 private:
  std::vector<std::unique_ptr<Renderer>> all_;
  std::vector<Renderer*> free_;
  std::mutex mutex_;
  std::condition_variable returned_;
};

}  // namespace lf::envs

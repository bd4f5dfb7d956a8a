#include "common_mjcf.h"

namespace lf::envs::dmc {

std::string visual(bool with_shadowclip) {
  return std::string(R"(
  <visual>
    <headlight ambient=".4 .4 .4" diffuse=".8 .8 .8" specular=".1 .1 .1"/>
    <map znear=".01")") +
         (with_shadowclip ? R"( shadowclip=".5")" : "") + R"(/>
    <quality shadowsize="2048"/>
  </visual>
)";
}

std::string skybox_texture(std::string_view name) {
  return R"(
    <texture name=")" + std::string(name) + R"(" type="skybox" builtin="gradient" rgb1=".4 .6 .8" rgb2="0 0 0"
             width="800" height="800" mark="random" markrgb="1 1 1"/>)";
}

std::string grid_material(std::string_view texture_name) {
  const std::string name(texture_name);
  return R"(
    <texture name=")" + name + R"(" type="2d" builtin="checker" rgb1=".1 .2 .3" rgb2=".2 .3 .4"
             width="300" height="300" mark="edge" markrgb=".2 .3 .4"/>
    <material name="grid" texture=")" + name + R"(" texrepeat="1 1" texuniform="true" reflectance=".2"/>)";
}

std::string asset(std::initializer_list<std::string_view> parts) {
  std::string out = "\n  <asset>";
  for (std::string_view part : parts) {
    if (!part.starts_with('\n')) out += "\n    ";
    out += part;
  }
  return out + "\n  </asset>\n";
}

std::string model(std::string_view name, std::initializer_list<std::string_view> sections) {
  std::string out = "<mujoco model=\"" + std::string(name) + "\">\n";
  for (std::string_view section : sections) out += section;
  return out + "</mujoco>\n";
}

}  // namespace lf::envs::dmc

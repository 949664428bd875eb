#pragma once
// A one-line progress bar for terminals: "[#########-----------]  120/300  test loss 0.0123".
// Draws only when its stream is a terminal, so logs and pipes stay clean.
#include <cstdio>
#include <string>

namespace netlens::cli {

class ProgressBar {
 public:
  ProgressBar(int total, std::FILE* out);
  void update(int done, const std::string& note);
  void finish();  // ends the line

 private:
  int total_;
  std::FILE* out_;
  bool enabled_;
};

}  // namespace netlens::cli
